/// JSON has no NaN or infinity (and `JSONEncoder` refuses them): a number that is absent or not
/// finite is written as null, the convention of every JSON output of the package, so a reader
/// sees a missing value instead of an invalid file.
extension KeyedEncodingContainer {
    /// Encodes `value` as a number, or null when it is nil or not finite.
    public mutating func encodeNumber(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// Encodes `values` as an array of numbers, each null when it is nil or not finite.
    public mutating func encodeNumbers(_ values: [Double?], forKey key: Key) throws {
        try encode(values.map { $0.flatMap { $0.isFinite ? $0 : nil } }, forKey: key)
    }
}
