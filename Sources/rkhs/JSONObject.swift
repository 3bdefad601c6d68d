/// A JSON object written field by field, in insertion order (numbers with 17 digits, null for
/// nil or non-finite values, strings escaped).
struct JSONObject {
    private var fields: [String] = []

    mutating func add(_ key: String, _ value: Double?) {
        fields.append("\"\(key)\":" + (value.flatMap { $0.isFinite ? full($0) : nil } ?? "null"))
    }
    mutating func add(_ key: String, _ value: Int?) { fields.append("\"\(key)\":" + (value.map { "\($0)" } ?? "null")) }
    mutating func add(_ key: String, _ value: Bool?) { fields.append("\"\(key)\":" + (value.map { "\($0)" } ?? "null")) }
    mutating func add(_ key: String, string value: String?) {
        fields.append("\"\(key)\":" + (value.map { "\"\(jsonEscape($0))\"" } ?? "null"))
    }
    /// A value that is already JSON (an object or array).
    mutating func add(_ key: String, raw value: String) { fields.append("\"\(key)\":" + value) }

    var text: String { "{" + fields.joined(separator: ",") + "}" }
}
