// libFuzzer harness: the expression parser, evaluation and symbolic derivative must never
// trap on any input (errors are thrown values). Built by scripts/fuzz/run.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let e = try? ExpressionParser.parse(text) {
        _ = e.evaluate(0.5)
        _ = e.evaluate(-3)
        if e.size < 2_000 {
            let d = e.derivative()
            _ = d.evaluate(0.25)
            _ = try? ExpressionParser.parse(e.description)
        }
    }
    return 0
}
