#ifndef RESTAKE_COPENBLAS_SHIM_H
#define RESTAKE_COPENBLAS_SHIM_H
// Debian puts cblas.h in the multiarch include folder and lapacke.h in /usr/include; both are
// on the default search path.
#include <cblas.h>
#include <lapacke.h>
// OpenBLAS's thread-count control (declared in its cblas.h as well; repeated so that a cblas.h
// from another vendor still compiles).
void openblas_set_num_threads(int num_threads);
#endif
