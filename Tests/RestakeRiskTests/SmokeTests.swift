import Testing
@testable import RestakeRisk

@Test func blasLinks() {
    BLAS.useSingleThread()
    #expect(Bool(true))
}
