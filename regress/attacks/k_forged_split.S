/*
 * A forged result begun inside the call the stepper counts, its header
 * written there, and finished from the kernel's second call, with the
 * events a runner without a PMU plans and an Instructions count of 1:
 * the message is whole only after the stepper has reported.
 */
#include "forge.h"

	forge_kernel_split
	forge_nopmu_result 1, 10

	.section .note.GNU-stack, "", @progbits
