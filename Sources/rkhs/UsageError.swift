import NeuralKernels

/// A problem with what the user typed or supplied (exit status 64), printed as one line.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    /// Runs `body`, turning library input errors into usage errors.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as KernelError {
            throw UsageError(error.description)
        }
    }
}
