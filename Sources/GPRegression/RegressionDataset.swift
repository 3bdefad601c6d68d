import Foundation
import NeuralKernels

/// Inputs and a target read from a CSV (any numeric table, a target column by header name or
/// 1-based number) or from a UCI benchmark folder (Hernandez-Lobato & Adams 2015 layout:
/// whitespace-separated `data.txt`, `index_features.txt`, `index_target.txt`,
/// `index_train_i.txt`, `index_test_i.txt`, `n_splits.txt`, all indices 0-based).
public struct RegressionDataset: Sendable {
    public let name: String
    public let x: [[Double]]
    public let y: [Double]
    /// Standard splits (train, test row indices), for UCI folders.
    public let standardSplits: [(train: [Int], test: [Int])]?
    public let featureNames: [String]?

    /// Reads a CSV with a target column given by header name or 1-based column number.
    public init(csv path: String, target: String) throws {
        let table: NumericTable
        do { table = try NumericTable(contentsOf: path) } catch let e as KernelError {
            throw RegressionError.invalidData(e.description)
        }
        let width = table.columnCount
        var column: Int? = nil
        if let names = table.columnNames, let k = names.firstIndex(of: target) {
            column = k
        } else if let k = Int(target), k >= 1, k <= width {
            column = k - 1
        }
        guard let t = column else {
            let known = table.columnNames.map { $0.joined(separator: ", ") } ?? "columns 1...\(width)"
            throw RegressionError.invalidData("\(path): no target column '\(target)'; available: \(known)")
        }
        guard width >= 2 else {
            throw RegressionError.invalidData(
                "\(path): needs a target and at least one input column; found \(width) column")
        }
        guard table.rows.count >= 3 else {
            throw RegressionError.invalidData("\(path): \(table.rows.count) rows; need at least 3")
        }
        // A constant column has no scale to standardise by (and a constant target nothing to
        // learn): reject it here, naming it, rather than in whichever split first sees it.
        for j in 0..<width {
            let first = table.rows[0][j]
            if table.rows.allSatisfy({ $0[j] == first }) {
                let label = table.columnNames.map { "'\($0[j])' (column \(j + 1))" } ?? "column \(j + 1)"
                throw RegressionError.invalidData(
                    "\(path): \(j == t ? "target " : "")\(label) is constant (\(first)); remove it")
            }
        }
        name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        x = table.rows.map { row in row.enumerated().filter { $0.offset != t }.map(\.element) }
        y = table.rows.map { $0[t] }
        featureNames = table.columnNames.map { names in names.enumerated().filter { $0.offset != t }.map(\.element) }
        standardSplits = nil
    }

    /// Reads a UCI benchmark folder with its standard splits.
    public init(uci folder: String) throws {
        func read(_ file: String) throws -> String {
            let path = (folder as NSString).appendingPathComponent(file)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw RegressionError.invalidData(
                    "cannot read '\(path)': a UCI folder needs data.txt, index_features.txt, index_target.txt, n_splits.txt, index_train_i.txt, index_test_i.txt"
                )
            }
            return text
        }
        func indices(_ file: String) throws -> [Int] {
            try read(file).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).map {
                guard let v = Double($0), v >= 0, v == v.rounded() else {
                    throw RegressionError.invalidData("\(folder)/\(file): '\($0)' is not a 0-based index")
                }
                return Int(v)
            }
        }
        let table: NumericTable
        do { table = try NumericTable(parsing: try read("data.txt"), source: "\(folder)/data.txt") } catch let e
            as KernelError
        { throw RegressionError.invalidData(e.description) }
        let features = try indices("index_features.txt")
        let target = try indices("index_target.txt")
        guard target.count == 1, let t = target.first, t < table.columnCount,
            features.allSatisfy({ $0 < table.columnCount })
        else {
            throw RegressionError.invalidData(
                "\(folder): feature/target indices do not fit \(table.columnCount) columns")
        }
        let count = try indices("n_splits.txt")
        guard count.count == 1, let splits = count.first, splits >= 1 else {
            throw RegressionError.invalidData("\(folder)/n_splits.txt: expected one positive integer")
        }
        var standard: [(train: [Int], test: [Int])] = []
        for i in 0..<splits {
            let train = try indices("index_train_\(i).txt")
            let test = try indices("index_test_\(i).txt")
            guard (train + test).allSatisfy({ $0 < table.rows.count }) else {
                throw RegressionError.invalidData("\(folder): split \(i) has a row index >= \(table.rows.count)")
            }
            standard.append((train, test))
        }
        guard table.rows.count >= 3 else {
            throw RegressionError.invalidData("\(folder): \(table.rows.count) rows; need at least 3")
        }
        name = URL(fileURLWithPath: folder).lastPathComponent
        x = table.rows.map { row in features.map { row[$0] } }
        y = table.rows.map { $0[t] }
        standardSplits = standard
        featureNames = nil
    }
}
