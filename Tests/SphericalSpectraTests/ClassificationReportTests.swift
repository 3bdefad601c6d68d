import Foundation
import Testing
import NeuralKernels
import SphericalSpectra

/// ClassificationReport and ComparisonReport as JSON (moved from the CLI, issue 15 item 5):
/// every field of the schema is present, absent values are null rather than missing, the
/// numbers are the classification's own, and labels with control characters (which the CLI's
/// old string building wrote unescaped, making invalid JSON) read back exactly.
@Suite struct ClassificationReportTests {
    static func encode<T: Encodable>(_ value: T) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static let fields = [
        "kernel", "dimension", "class", "sobolev_order", "equals_sobolev", "even_order", "odd_order", "rank",
        "nonsmoothness_degree", "activation_regularity", "parity_parts", "predicted_exponent",
        "predicted_exponent_even", "predicted_exponent_odd", "predicted_even", "predicted_odd",
        "fitted_exponent_even", "fitted_uncertainty_even", "fitted_exponent_odd", "fitted_uncertainty_odd",
        "fit_even", "fit_odd", "k_range_even", "k_range_odd", "zero_degrees", "agrees", "notes",
    ]

    /// The 2-layer ReLU NTK with bias on S^2 is H^1.5 (m = 1, a = 1/2, s = (d-1)/2 + a = 1.5;
    /// mu_k ~ k^-3, both parities): the JSON carries that class, order and exponent, and null
    /// for the rank a Sobolev class does not have.
    @Test func sobolevClassHasEveryFieldAndNullsForAbsentValues() throws {
        let network = try NetworkKernel(activation: .relu, depth: 2)
        let spectrum = try GegenbauerSpectrum(
            kernel: try NetworkSphereKernel(network, kind: .ntk), dimension: 3, kmax: 200)
        let c = RKHSClassification(spectrum)
        let o = try Self.encode(ClassificationReport(c, network: network))
        #expect(Set(o.keys) == Set(Self.fields), "\(o.keys.sorted())")
        #expect(o["class"] as? String == "sobolev")
        #expect(o["sobolev_order"] as? Double == 1.5)
        #expect(o["predicted_exponent"] as? Double == 3)
        #expect(o["nonsmoothness_degree"] as? Int == 1)
        #expect(o["rank"] is NSNull)
        #expect(o["even_order"] as? Double == 1.5 && o["odd_order"] as? Double == 1.5)
        #expect(o["fitted_exponent_even"] as? Double == c.fits.even.exponent)
        let window = try #require(c.fits.even.window)
        #expect(o["k_range_even"] as? [Int] == [window.lowerBound, window.upperBound])
        #expect(o["agrees"] as? Bool == true)
        // Without a network the activation fields are null, not missing.
        let bare = try Self.encode(ClassificationReport(c, network: nil))
        #expect(Set(bare.keys) == Set(Self.fields))
        #expect(bare["activation_regularity"] is NSNull && bare["parity_parts"] is NSNull)
    }

    /// A comparison's labels and pairs survive JSON exactly, control characters included.
    @Test func comparisonJSONEscapesEveryLabel() throws {
        let relu = try NetworkSphereKernel(try NetworkKernel(activation: .relu, depth: 2), kind: .ntk)
        let laplace = try StandardKernel.parse("laplace(1)")
        let labels = ["relu \"ntk\"\n\u{01}\t", "laplace\\(1)\u{1F}"]
        let comparison = RKHSComparison([
            RKHSComparison.Entry(
                label: labels[0], spectrum: try GegenbauerSpectrum(kernel: relu, dimension: 3, kmax: 100)),
            RKHSComparison.Entry(
                label: labels[1], spectrum: try GegenbauerSpectrum(kernel: laplace, dimension: 3, kmax: 100)),
        ])
        let o = try Self.encode(ComparisonReport(comparison))
        #expect(o["labels"] as? [String] == labels)
        let pairs = try #require(o["pairs"] as? [[String: Any]])
        #expect(pairs.count == 1)
        #expect(pairs[0]["label_a"] as? String == labels[0] && pairs[0]["label_b"] as? String == labels[1])
        #expect(pairs[0]["same_by_theory"] as? Bool == comparison.pairs[0].sameByTheory)
        #expect((o["kernels"] as? [[String: Any]])?.count == 2)
        #expect(o["classes"] as? [[Int]] == comparison.groups)
    }

    /// encodeNumber writes null for nil and for non-finite values (JSONEncoder would refuse NaN).
    @Test func nonFiniteNumbersAreNull() throws {
        struct Numbers: Encodable {
            enum CodingKeys: String, CodingKey { case a, b, c, d, list }
            func encode(to encoder: any Encoder) throws {
                var o = encoder.container(keyedBy: CodingKeys.self)
                try o.encodeNumber(.nan, forKey: .a)
                try o.encodeNumber(-.infinity, forKey: .b)
                try o.encodeNumber(nil, forKey: .c)
                try o.encodeNumber(0.1, forKey: .d)
                try o.encodeNumbers([1, .nan, nil], forKey: .list)
            }
        }
        let o = try Self.encode(Numbers())
        #expect(o["a"] is NSNull && o["b"] is NSNull && o["c"] is NSNull)
        #expect(o["d"] as? Double == 0.1)
        let list = try #require(o["list"] as? [Any])
        #expect(list.count == 3 && list[0] as? Double == 1 && list[1] is NSNull && list[2] is NSNull)
    }
}
