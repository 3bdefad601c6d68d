@preconcurrency import CGSL

extension GSL {
    /// The Hurwitz zeta function zeta(s, q) = sum_{k >= 0} (k + q)^{-s}, s > 1, q > 0
    /// (`gsl_sf_hzeta_e`), with GSL's error estimate.
    public static func hurwitzZeta(_ s: Double, _ q: Double) throws -> Result {
        _ = handlerOff
        var r = gsl_sf_result(val: 0, err: 0)
        let status = gsl_sf_hzeta_e(s, q, &r)
        guard status == GSL_SUCCESS else { throw Failure(function: "gsl_sf_hzeta_e(\(s), \(q))", status: status) }
        return Result(value: r.val, error: r.err)
    }
}
