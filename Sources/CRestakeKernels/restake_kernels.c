// Everything is inline in include/restake_kernels.h; SwiftPM wants one source file per C target.
#include "restake_kernels.h"
