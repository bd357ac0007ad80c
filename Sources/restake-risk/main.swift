import RestakeRisk
BLAS.useSingleThread()
print("restake-risk")
