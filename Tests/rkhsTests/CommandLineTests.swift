import Foundation
import Testing

/// The rkhs binary's tests live here; they run the real executable.
@Suite struct CommandLineTests {
    @Test func placeholderUntilTheCLILands() {
        #expect(ProcessInfo.processInfo.processorCount >= 1)
    }
}
