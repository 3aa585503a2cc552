# PeachPy kernel for the loader's unit test:
# float psdot(size_t n, const float *x, const float *y).

from peachpy import *
from peachpy.x86_64 import *

n = Argument(size_t, name="n")
x = Argument(ptr(const_float_), name="x")
y = Argument(ptr(const_float_), name="y")

with Function("psdot", (n, x, y), float_) as function:
    reg_n = GeneralPurposeRegister64()
    LOAD.ARGUMENT(reg_n, n)
    reg_x = GeneralPurposeRegister64()
    LOAD.ARGUMENT(reg_x, x)
    reg_y = GeneralPurposeRegister64()
    LOAD.ARGUMENT(reg_y, y)

    xmm_sum = XMMRegister()
    XORPS(xmm_sum, xmm_sum)

    loop = Loop()
    TEST(reg_n, reg_n)
    JZ(loop.end)
    with loop:
        xmm_x = XMMRegister()
        MOVSS(xmm_x, [reg_x])
        MULSS(xmm_x, [reg_y])
        ADDSS(xmm_sum, xmm_x)
        ADD(reg_x, 4)
        ADD(reg_y, 4)
        SUB(reg_n, 1)
        JNZ(loop.begin)

    RETURN(xmm_sum)
