// libFuzzer harness: the numeric table (CSV) reader and the .npy decoder must never trap.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTable(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? NumericTable(parsing: text)
    _ = try? NPYFile.decode(bytes)
    return 0
}
