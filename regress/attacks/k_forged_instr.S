/*
 * A forged result sent from the kernel's second call, after the counted
 * one, with the events a runner without a PMU plans, an Instructions
 * count of 1 and a plausible rest: the count is not the runner's to
 * give, and the answer carries the stepper's.
 */
#include "forge.h"

	forge_kernel_second
	forge_nopmu_result 1, 10

	.section .note.GNU-stack, "", @progbits
