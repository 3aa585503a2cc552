/*
 * Kernels for the loader's unit test, built by t_elf with gcc and clang in
 * several code models.  Each one exercises one thing the loader must get
 * right: .rodata constants, .data, .bss, COMMON, the GOT, calls between
 * functions, tables of absolute pointers and the builtin memcpy family.
 */
#include <stddef.h>
#include <string.h>

float	 kdot(size_t, const float *, const float *);
int	 kprime(int);
double	 kpoly(double);
int	 kcount(void);
long	 kbss(long);
int	 kcommon(int);
int	*kgvar(void);
int	 khelper(int);
int	 kcall(int);
int	 kops(int, int);
int	 kswitch(int, int);
int	 kcopy(char *, const char *, size_t);
void	 kmove(char *, size_t);
int	 kcmp(const void *, const void *, size_t);
int	 ksmash(const char *, size_t);

int	 kcomm;			/* COMMON with -fcommon */
int	 gvar = 7;		/* reached through the GOT with -fPIC */

static const int primes[16] = {
	2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53
};
static int	 counter = 41;
static long	 acc[64];

float
kdot(size_t n, const float *x, const float *y)
{
	float	 sum = 0.0f;
	size_t	 i;

	for (i = 0; i < n; i++)
		sum += x[i] * y[i];
	return sum;
}

int
kprime(int i)
{
	return primes[i & 15];
}

double
kpoly(double x)
{
	return 1.5 * x * x + 0.25 * x + 3.125;
}

int
kcount(void)
{
	return ++counter;
}

long
kbss(long v)
{
	long	 sum = 0;
	int	 i;

	for (i = 0; i < 64; i++) {
		acc[i] += v + i;
		sum += acc[i];
	}
	return sum;
}

int
kcommon(int v)
{
	kcomm += v;
	return kcomm;
}

int *
kgvar(void)
{
	return &gvar;
}

__attribute__((noinline)) int
khelper(int x)
{
	return x * 3 + 1;
}

int
kcall(int x)
{
	return khelper(x) + khelper(x + 1);
}

static int
add1(int x)
{
	return x + 1;
}

static int
dbl(int x)
{
	return x * 2;
}

static int	(*const ops[2])(int) = { add1, dbl };

int
kops(int i, int x)
{
	return ops[i & 1](x);
}

int
kswitch(int i, int x)
{
	switch (i) {
	case 0:
		return x + 3;
	case 1:
		return x * 5;
	case 2:
		return x - 7;
	case 3:
		return x ^ 9;
	case 4:
		return x << 2;
	case 5:
		return x / 3;
	case 6:
		return x % 5;
	default:
		return -1;
	}
}

int
kcopy(char *dst, const char *src, size_t n)
{
	memcpy(dst, src, n);
	memset(dst + n, 0x5a, n);
	return dst[0];
}

void
kmove(char *buf, size_t n)
{
	memmove(buf + 1, buf, n);
}

int
kcmp(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n);
}

/* With -fstack-protector-all, a long copy must end in the loader's trap. */
int
ksmash(const char *src, size_t n)
{
	char	 buf[8];

	memcpy(buf, src, n);
	return buf[0] + buf[7];
}
