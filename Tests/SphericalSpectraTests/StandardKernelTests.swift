import Foundation
import Testing
@testable import SphericalSpectra

/// The standard-kernel registry: every entry's example parses and its name parses back, bad
/// forms are refused with every form listed, and each family's values agree with an
/// independent elementary formula (Matern 1/2 and 3/2 check the Bessel route).
@Suite struct StandardKernelTests {
    @Test(arguments: StandardKernel.entries.map(\.example))
    func exampleParsesAndItsNameParsesBack(_ example: String) throws {
        let kernel = try StandardKernel.parse(example)
        let again = try StandardKernel.parse(kernel.name)
        #expect(again.name == kernel.name)
        for t in [-1.0, -0.3, 0.5, 0.99, 1] {
            #expect(
                again.value(t, oneMinusT: 1 - t, onePlusT: 1 + t) == kernel.value(t, oneMinusT: 1 - t, onePlusT: 1 + t))
        }
    }

    @Test(arguments: [
        "laplace", "laplace(1,2)", "foo(1)", "matern(1,2,3)", "arccos(1.5)", "arccos(1e300)",
        "polynomial(1,2.5)", "gaussian(x)", "gaussian()",
    ])
    func badFormsAreRefusedListingEveryForm(_ text: String) {
        do {
            _ = try StandardKernel.parse(text)
            Issue.record("\(text) was accepted")
        } catch {
            let message = "\(error)"
            for usage in StandardKernel.usages { #expect(message.contains(usage), "\(message)") }
        }
    }

    @Test(arguments: ["laplace(0)", "gaussian(-1)", "matern(60)", "matern(1.5,0)", "arccos(9)", "polynomial(1,1001)"])
    func parametersOutOfRangeAreRefused(_ text: String) {
        #expect(throws: SpectralError.self) { try StandardKernel.parse(text) }
    }

    /// kappa(t) against elementary closed forms, r = sqrt(2(1 - t)).
    @Test func valuesMatchElementaryFormulas() throws {
        let forms: [(String, (Double) -> Double)] = [
            ("laplace(1.5)", { t in exp(-1.5 * (2 * (1 - t)).squareRoot()) }),
            ("gaussian(0.5)", { t in exp(-0.5 * 2 * (1 - t)) }),
            ("matern(0.5,2)", { t in exp(-(2 * (1 - t)).squareRoot() / 2) }),
            (
                "matern(1.5)",
                { t in
                    let z = 3.0.squareRoot() * (2 * (1 - t)).squareRoot()
                    return (1 + z) * exp(-z)
                }
            ),
            (
                "arccos(1)",
                { t in
                    let th = acos(t)
                    return (sin(th) + (Double.pi - th) * cos(th)) / Double.pi
                }
            ),
            ("arccos(0)", { t in 1 - acos(t) / Double.pi }),
            ("polynomial(0.5,3)", { t in pow(t + 0.5, 3) }),
        ]
        for (text, formula) in forms {
            let kernel = try StandardKernel.parse(text)
            for t in [-0.95, -0.5, 0, 0.3, 0.8, 0.999] {
                let value = kernel.value(t, oneMinusT: 1 - t, onePlusT: 1 + t)
                let expected = formula(t)
                #expect(
                    Swift.abs(value - expected) <= 1e-12 * Swift.abs(expected),
                    "\(text) at t = \(t): \(value) vs \(expected)")
            }
        }
    }
}
