import Synchronization
import Testing
@testable import _ParallelFill

/// The parallel loops against their serial meaning: every row once, a symmetric result equal to
/// the serial fill, slots in order, progress increasing and ending at 1.
@Suite struct ParallelFillTests {
    final class Reports: Sendable { let values = Mutex<[Double]>([]) }

    @Test(arguments: [1, 2, 63, 64, 65, 200])
    func symmetricFillEqualsSerialFill(n: Int) {
        @Sendable func entry(_ i: Int, _ j: Int) -> Double { Double(min(i, j)) * 1000 + Double(max(i, j)) + 0.5 }
        var matrices = [[Double](repeating: .nan, count: n * n), [Double](repeating: .nan, count: n * n)]
        let fractions = Reports()
        ParallelFill.symmetric(&matrices, n: n, progress: { f in fractions.values.withLock { $0.append(f) } }) {
            i, out in
            for j in i..<n {
                out[0][i, j] = entry(i, j)
                out[1][i, j] = -entry(i, j)
            }
        }
        for i in 0..<n {
            for j in 0..<n {
                #expect(matrices[0][i * n + j] == entry(i, j))
                #expect(matrices[1][i * n + j] == -entry(i, j))
            }
        }
        let reported = fractions.values.withLock { $0 }
        // Reports may arrive out of order across threads, but each fraction is one count of rows.
        #expect(Set(reported).count == reported.count)
        #expect(reported.max() == 1)
    }

    @Test func rowsVisitsEveryRowOnce() {
        let n = 1001
        let visits = Mutex([Int](repeating: 0, count: n))
        ParallelFill.rows(n) { i in visits.withLock { $0[i] += 1 } }
        #expect(visits.withLock { $0 } == [Int](repeating: 1, count: n))
    }

    @Test func slotArrayKeepsOrderAndRethrowsTheFirstError() throws {
        let squares = try SlotArray<Int>.map(50) { $0 * $0 }
        #expect(squares == (0..<50).map { $0 * $0 })
        struct Failure: Error, Equatable { let k: Int }
        #expect(throws: Failure(k: 3)) {
            _ = try SlotArray<Int>.map(10) { k in
                if k == 3 || k == 7 { throw Failure(k: k) }
                return k
            }
        }
        let slots = SlotArray<String>(count: 3)
        #expect(slots[1] == nil)
        #expect(slots.store("b", at: 1) == 1)
        #expect(slots.store("b", at: 1) == 1)  // refilling a slot does not count twice
        #expect(slots.store("a", at: 0) == 2)
    }

    @Test func sharedViewsReadTheArraysAndLeaveThemInPlace() {
        var arrays = [[1.0, 2, 3, 4, 5, 6], [7.0, 8]]
        let sum = ParallelFill.withShared(reading: arrays, rowLength: 3) { views in views[0][1, 2] + views[1].base[1] }
        #expect(sum == 14)
        ParallelFill.withShared(&arrays, rowLength: 2) { views in views[1][0, 1] = 9 }
        #expect(arrays == [[1, 2, 3, 4, 5, 6], [7, 9]])
    }
}
