import ArgumentParser
import GPRegression
import LearningCurves
import NeuralKernels
import SphericalSpectra
import TrainingDynamics

/// The CLI's one input-error type: ArgumentParser's `ValidationError`, thrown from `validate()`
/// (ArgumentParser's convention) or from `run()` for what only running finds out (a file's
/// contents). Either way it prints as one line and exits with status 64 (EX_USAGE).
typealias UsageError = ValidationError

/// A library error that describes bad input: each module's error enum, whose cases name the
/// bad value and what is allowed, so ``ValidationError/wrap(_:)`` turns any of them into the
/// input error.
protocol InputDescribingError: Error, CustomStringConvertible {}

extension KernelError: InputDescribingError {}
extension SpectralError: InputDescribingError {}
extension RegressionError: InputDescribingError {}
extension TrainingError: InputDescribingError {}
extension LearningCurveError: InputDescribingError {}

extension ValidationError {
    /// Runs `body`, turning library input errors into the CLI's input error.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as any InputDescribingError {
            throw ValidationError(error.description)
        }
    }
}
