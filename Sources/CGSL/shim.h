/* gsl_randist.h pulls in GSL's own gsl_cblas.h, whose CBLAS enums differ from OpenBLAS's
   cblas.h (used by CLAPACKE); both modules meet in _NumericalBackends, where Clang rejects the
   two definitions. Use OpenBLAS's declarations for both (same names and values). */
#include <cblas.h>
#define __GSL_CBLAS_H__
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_gegenbauer.h>
#include <gsl/gsl_sf_legendre.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_bessel.h>
#include <gsl/gsl_sf_hyperg.h>
#include <gsl/gsl_sf_zeta.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>

/* The Mersenne Twister type, through a function: Swift 6 rejects direct use of the mutable C global. */
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
