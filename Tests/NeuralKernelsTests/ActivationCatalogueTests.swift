import Foundation
import Testing
@testable import NeuralKernels

/// Checks every catalogue example at once, so that a new activation is tested the moment its
/// entry exists: its name round-trips, its derivative is the derivative of its value, its
/// declared parity and homogeneity hold, a declared E[phi'' phi''] is the c-derivative of the
/// derivative dual, and the README and help lists are the catalogue's.
@Suite struct ActivationCatalogueTests {
    static let examples = ActivationCatalogue.examples

    @Test(arguments: examples)
    func nameRoundTrips(_ name: String) throws {
        let a = try ActivationCatalogue.activation(named: name)
        #expect(a.name == name)
        #expect(try ActivationCatalogue.activation(named: a.name).name == name)
    }

    /// phi' against a central difference of phi (step 1e-5: truncation ~1e-10 |phi'''|,
    /// rounding ~1e-11 |phi|), away from 0 and from every breakpoint.
    @Test(arguments: examples)
    func derivativeIsTheDerivativeOfTheValue(_ name: String) throws {
        let a = try ActivationCatalogue.activation(named: name)
        let h = 1e-5
        for x in [-2.3, -0.7, -0.15, 0.4, 1.9, 3.3] where a.breakpoints.allSatisfy({ Swift.abs($0 - x) > 0.1 }) {
            let difference = (a(x + h) - a(x - h)) / (2 * h)
            let scale = 1 + Swift.abs(a(x)) + Swift.abs(a.derivative(x))
            #expect(
                Swift.abs(difference - a.derivative(x)) <= 1e-8 * scale,
                "\(name) at x = \(x): phi' \(a.derivative(x)), difference \(difference)")
        }
    }

    @Test(arguments: examples)
    func declaredParityAndHomogeneityHold(_ name: String) throws {
        let a = try ActivationCatalogue.activation(named: name)
        for x in [0.3, 0.9, 1.7, 4.2] {
            let scale = Swift.abs(a(x)) + 1e-300
            switch a.parity {
            case .even: #expect(Swift.abs(a(-x) - a(x)) <= 1e-14 * scale, "\(name) is declared even")
            case .odd: #expect(Swift.abs(a(-x) + a(x)) <= 1e-14 * scale, "\(name) is declared odd")
            case .neither: break
            }
            if let p = a.homogeneity {
                for lambda in [0.5, 3.0] {
                    let scaled = a(lambda * x)
                    let expected = pow(lambda, Double(p)) * a(x)
                    #expect(
                        Swift.abs(scaled - expected) <= 1e-14 * Swift.abs(expected) + 1e-300,
                        "\(name) is declared homogeneous of degree \(p)")
                }
            }
        }
    }

    /// A declared E[phi'' phi''] against a central difference of the derivative dual in c
    /// (step 1e-5 sqrt(q1 q2): error ~1e-10 relative away from rho = +-1).
    @Test(arguments: examples)
    func declaredSecondDerivativeDualIsTheSlope(_ name: String) throws {
        let a = try ActivationCatalogue.activation(named: name)
        guard let second = a.secondDerivativeDual else { return }
        let dual = DualActivation(a)
        for (q1, q2, rho) in [(1.0, 1.0, 0.3), (0.5, 2.0, -0.6), (3.0, 0.7, 0.9)] {
            let root = (q1 * q2).squareRoot()
            let c = rho * root
            let e = 1e-5 * root
            let difference =
                (dual.derivative(q1: q1, q2: q2, c: c + e) - dual.derivative(q1: q1, q2: q2, c: c - e)) / (2 * e)
            let declared = second(GaussianPair(q1: q1, q2: q2, c: c))
            #expect(
                Swift.abs(declared - difference) <= 1e-7 * (Swift.abs(declared) + 1),
                "\(name) q=(\(q1),\(q2)) rho=\(rho): declared \(declared), difference \(difference)")
        }
    }

    @Test func everyUsageIsInTheHelp() {
        for entry in ActivationCatalogue.entries {
            #expect(ActivationCatalogue.helpText.contains(entry.usage))
            #expect(!entry.examples.isEmpty, "\(entry.name) has no example for the catalogue-wide tests")
        }
    }

    /// The README's activation table is the catalogue's: paste `markdownTable` (printed in the
    /// failure) between the markers when an activation is added.
    @Test func readmeTableIsTheCatalogues() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let begin = "<!-- activations: generated from ActivationCatalogue -->\n"
        let end = "<!-- activations: end -->"
        let start = try #require(text.range(of: begin), "README.md has no activation table marker")
        let stop = try #require(text.range(of: end, range: start.upperBound..<text.endIndex))
        let table = String(text[start.upperBound..<stop.lowerBound])
        #expect(
            table == ActivationCatalogue.markdownTable,
            "README.md's activation table differs from the catalogue; it should read:\n\(ActivationCatalogue.markdownTable)"
        )
    }
}
