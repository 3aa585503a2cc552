/*
 * A forged result sent from inside the call the stepper counts, with the
 * events a runner without a PMU plans and an Instructions count of 1:
 * no honest runner reports before that call has returned.
 */
#include "forge.h"

	forge_kernel
	forge_nopmu_result 1, 10

	.section .note.GNU-stack, "", @progbits
