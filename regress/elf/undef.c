/* A kernel that needs libc: the loader must name the missing symbol. */
#include <stdio.h>

int	 kundef(int);

int
kundef(int x)
{
	return printf("%d\n", x);
}
