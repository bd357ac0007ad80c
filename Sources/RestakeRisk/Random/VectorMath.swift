/// Elementary functions over buffers, eight lanes at a time (Swift has no vectorised libm here).
///
/// Each function has a scalar-free SIMD8 body and a tail that pads to a full vector, so
/// every element goes through the same arithmetic and a value's result never depends on
/// its position in the buffer.
public enum VectorMath {}
