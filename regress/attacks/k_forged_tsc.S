/*
 * A forged result sent from the kernel's second call, after the counted
 * one, with the events a runner without a PMU plans and a Reference
 * cycles figure larger than the monitor's own clock can have seen.
 */
#include "forge.h"

	forge_kernel_second
	forge_nopmu_result 1, 1000000000000000

	.section .note.GNU-stack, "", @progbits
