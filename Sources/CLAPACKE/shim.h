#include <lapacke.h>
#include <cblas.h>
/* OpenBLAS's thread count (declared here as well: the reference cblas.h lacks them). */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
