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

/// A key written as a string literal, for the CLI's own JSON documents whose fields follow the
/// command's computation (`try o.encode(x, forKey: "sigma_w")`); the library's reports declare
/// `CodingKeys` instead.
struct JSONKey: CodingKey, ExpressibleByStringLiteral {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringLiteral name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A JSON object encoded by a closure: a command's document assembled where its values are.
struct JSONDocument: Encodable {
    let fill: (inout KeyedEncodingContainer<JSONKey>) throws -> Void

    init(_ fill: @escaping (inout KeyedEncodingContainer<JSONKey>) throws -> Void) { self.fill = fill }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try fill(&container)
    }
}
