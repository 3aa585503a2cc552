# sdot written with PeachPy, the way PeachPy.IO's pages build kernels: the
# same function as sdot.c, float sdot(size_t n, const float *x, size_t incx,
# const float *y, size_t incy), one element per iteration.  make does not
# build it; build it by hand:
#
#	python3 -m peachpy.x86_64 -mabi=sysv -mimage-format=elf \
#	    -o sdot_peachpy.o sdot_peachpy.py
#	curl --data-binary @sdot_peachpy.o \
#	    'http://localhost:8081/local/run?kernel=sdot&n=10000'

from peachpy import *
from peachpy.x86_64 import *

n = Argument(size_t, name="n")
x = Argument(ptr(const_float_), name="x")
incx = Argument(size_t, name="incx")
y = Argument(ptr(const_float_), name="y")
incy = Argument(size_t, name="incy")

with Function("sdot", (n, x, incx, y, incy), float_) as function:
    reg_n = GeneralPurposeRegister64()
    LOAD.ARGUMENT(reg_n, n)
    reg_x = GeneralPurposeRegister64()
    LOAD.ARGUMENT(reg_x, x)
    reg_incx = GeneralPurposeRegister64()
    LOAD.ARGUMENT(reg_incx, incx)
    reg_y = GeneralPurposeRegister64()
    LOAD.ARGUMENT(reg_y, y)
    reg_incy = GeneralPurposeRegister64()
    LOAD.ARGUMENT(reg_incy, incy)

    # Strides in bytes.
    SHL(reg_incx, 2)
    SHL(reg_incy, 2)

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
        ADD(reg_x, reg_incx)
        ADD(reg_y, reg_incy)
        SUB(reg_n, 1)
        JNZ(loop.begin)

    RETURN(xmm_sum)
