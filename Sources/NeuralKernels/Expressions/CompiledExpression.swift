import Foundation

/// An ``Expression`` flattened to postfix instructions and evaluated on a small stack,
/// without the reference counting of walking an indirect enum: the quadratures evaluate a
/// user activation millions of times.
public struct CompiledExpression: Sendable {
    enum Instruction: Sendable {
        case constant(Double)
        case variable
        case negate, add, subtract, multiply, divide, power
        case integerPower(Int)
        case function(ElementaryFunction)
    }

    let code: [Instruction]
    let stackSize: Int

    public init(_ expression: Expression) {
        var code: [Instruction] = []
        var depth = 0
        var maxDepth = 0
        func push() {
            depth += 1
            maxDepth = max(maxDepth, depth)
        }
        func emit(_ e: Expression) {
            switch e {
            case .constant(let c):
                code.append(.constant(c))
                push()
            case .variable:
                code.append(.variable)
                push()
            case .negate(let a):
                emit(a)
                code.append(.negate)
            case .function(let f, let a):
                emit(a)
                code.append(.function(f))
            case .power(let a, .constant(let n)) where n == n.rounded() && Swift.abs(n) <= 64:
                emit(a)
                code.append(.integerPower(Int(n)))
            case .add(let a, let b):
                emit(a)
                emit(b)
                code.append(.add)
                depth -= 1
            case .subtract(let a, let b):
                emit(a)
                emit(b)
                code.append(.subtract)
                depth -= 1
            case .multiply(let a, let b):
                emit(a)
                emit(b)
                code.append(.multiply)
                depth -= 1
            case .divide(let a, let b):
                emit(a)
                emit(b)
                code.append(.divide)
                depth -= 1
            case .power(let a, let b):
                emit(a)
                emit(b)
                code.append(.power)
                depth -= 1
            }
        }
        emit(expression)
        self.code = code
        self.stackSize = max(maxDepth, 1)
    }

    /// The value at x (identical to `Expression.evaluate`).
    public func evaluate(_ x: Double) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: stackSize) { stack in
            var top = -1
            for instruction in code {
                switch instruction {
                case .constant(let c):
                    top += 1
                    stack[top] = c
                case .variable:
                    top += 1
                    stack[top] = x
                case .negate: stack[top] = -stack[top]
                case .add:
                    stack[top - 1] += stack[top]
                    top -= 1
                case .subtract:
                    stack[top - 1] -= stack[top]
                    top -= 1
                case .multiply:
                    stack[top - 1] *= stack[top]
                    top -= 1
                case .divide:
                    stack[top - 1] /= stack[top]
                    top -= 1
                case .power:
                    stack[top - 1] = pow(stack[top - 1], stack[top])
                    top -= 1
                case .integerPower(let n): stack[top] = integerPower(stack[top], n)
                case .function(let f): stack[top] = f.apply(stack[top])
                }
            }
            return stack[0]
        }
    }
}
