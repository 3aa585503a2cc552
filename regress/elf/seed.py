# Seed for the loader's fuzz corpus, in PeachPy: long kernel(long x).

from peachpy import *
from peachpy.x86_64 import *

x = Argument(int64_t, name="x")

with Function("kernel", (x,), int64_t) as function:
    reg_x = GeneralPurposeRegister64()
    LOAD.ARGUMENT(reg_x, x)
    ADD(reg_x, reg_x)
    RETURN(reg_x)
