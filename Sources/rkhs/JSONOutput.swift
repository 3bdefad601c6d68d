import Foundation

/// Every JSON document the CLI prints or writes goes through `JSONEncoder`: strings are
/// escaped completely (control characters included), numbers are the shortest text that reads
/// back to the same double, and a non-finite number is an encoding error, never NaN in a file
/// (the reports encode absent and non-finite values as null, with the reason beside them where
/// there is one). Keys are sorted: `JSONEncoder` keeps no insertion order, and sorted keys make
/// outputs stable and diffable.
enum JSONOutput {
    static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
