/*
 * A forged result sent from the kernel's second call, with the events a
 * runner without a PMU plans and a Task clock of a thousand seconds a
 * call: more CPU time than the runner's witness counter, which the
 * kernel cannot reach, saw it use.
 */
#include "forge.h"

	forge_kernel_second
	forge_nopmu_result 1, 10, 1000000000000

	.section .note.GNU-stack, "", @progbits
