import Foundation

/// NumPy .npy files (format version 1.0) of little-endian float64, C order: what
/// `numpy.load` reads with one call.
public enum NPYFile {
    /// The header of a rows x columns float64 C-order array: magic, version 1.0, header
    /// length, and the dictionary padded with spaces so the data starts at a multiple of 64.
    public static func header(rows: Int, columns: Int) -> [UInt8] {
        var dictionary = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in '\n'.
        let unpadded = 10 + dictionary.utf8.count + 1
        dictionary += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = UInt16(dictionary.utf8.count)
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
            + Array(dictionary.utf8)
    }

    /// The bytes of a rows x columns float64 array (row-major `values`).
    public static func encode(_ values: [Double], rows: Int, columns: Int) -> Data {
        precondition(values.count == rows * columns)
        var data = Data(header(rows: rows, columns: columns))
        values.withUnsafeBufferPointer { buffer in
            if 1.littleEndian == 1 {
                data.append(
                    UnsafeBufferPointer(
                        start: UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: UInt8.self),
                        count: buffer.count * 8))
            } else {
                for v in buffer { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            }
        }
        return data
    }

    /// Writes the .npy file of a rows x columns float64 array (row-major `values`) atomically,
    /// straight from the array's storage: no copy of the array is made (on little-endian
    /// machines; elsewhere it is byte-swapped a block at a time).
    public static func write(_ values: [Double], rows: Int, columns: Int, to path: String) throws {
        precondition(values.count == rows * columns)
        try AtomicFile.write(to: path) { file in
            try file.write(header(rows: rows, columns: columns))
            if 1.littleEndian == 1 {
                try values.withUnsafeBytes { try file.write($0) }
            } else {
                var start = 0
                while start < values.count {
                    let block = values[start..<min(values.count, start + 65536)].map { $0.bitPattern.littleEndian }
                    try block.withUnsafeBytes { try file.write($0) }
                    start += block.count
                }
            }
        }
    }

    /// Writes the .npy file of a rows x columns float64 array that `fill` computes in place:
    /// it gets the file's data (row-major, uninitialised), mapped where the system allows
    /// (``AtomicFile/write(to:size:mapped:)``), so the array exists once in memory and is never
    /// copied. If `fill` throws, nothing is written.
    public static func write(
        rows: Int, columns: Int, to path: String,
        fill: (UnsafeMutablePointer<Double>) throws -> Void
    ) throws {
        let header = header(rows: rows, columns: columns)
        let count = rows * columns
        try AtomicFile.write(to: path, size: header.count + 8 * count) { bytes in
            bytes.copyMemory(from: UnsafeRawBufferPointer(start: header, count: header.count))
            // The header's length is a multiple of 64, so the data are aligned for Double.
            let data = (bytes.baseAddress! + header.count).bindMemory(to: Double.self, capacity: count)
            try fill(data)
            if 1.littleEndian != 1 {
                for i in 0..<count { data[i] = Double(bitPattern: data[i].bitPattern.littleEndian) }
            }
        }
    }

    /// Decodes a 1-D or 2-D little-endian float64 C-order array: (values, rows, columns).
    public static func decode(_ data: Data, source: String = "input") throws -> (
        values: [Double], rows: Int, columns: Int
    ) {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, bytes[1...5].elementsEqual(Array("NUMPY".utf8)) else {
            throw KernelError.invalidData("\(source): not a .npy file")
        }
        let major = bytes[6]
        let headerLength: Int
        let offset: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            offset = 10
        } else {
            guard bytes.count >= 12 else { throw KernelError.invalidData("\(source): truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            offset = 12
        }
        guard bytes.count >= offset + headerLength,
            let header = String(bytes: bytes[offset..<(offset + headerLength)], encoding: .ascii)
        else {
            throw KernelError.invalidData("\(source): truncated .npy header")
        }
        guard header.contains("'<f8'") else {
            throw KernelError.invalidData("\(source): only float64 ('<f8') arrays are supported")
        }
        guard header.contains("'fortran_order': False") else {
            throw KernelError.invalidData("\(source): only C-order arrays are supported")
        }
        guard let open = header.firstIndex(of: "("), let close = header.firstIndex(of: ")"), open < close else {
            throw KernelError.invalidData("\(source): .npy header has no shape")
        }
        let dims = header[header.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.compactMap { Int($0) }
        guard dims.count == 1 || dims.count == 2, dims.allSatisfy({ $0 >= 0 }) else {
            throw KernelError.invalidData("\(source): only 1-D or 2-D arrays are supported")
        }
        let rows = dims[0]
        let columns = dims.count == 2 ? dims[1] : 1
        let start = offset + headerLength
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, bytes.count - start == count * 8 else {
            throw KernelError.invalidData("\(source): data size does not match the shape \(dims)")
        }
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var bits: UInt64 = 0
            for b in 0..<8 { bits |= UInt64(bytes[start + 8 * i + b]) << (8 * UInt64(b)) }
            values[i] = Double(bitPattern: bits)
        }
        return (values, rows, columns)
    }
}
