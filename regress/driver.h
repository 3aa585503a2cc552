/*
 * What regress/rundriver and regress/progdriver share: they drive a
 * runner template over imsg without the daemon (driver.c).
 */
#ifndef WR_DRIVER_H
#define WR_DRIVER_H

#include <stdint.h>

struct imsgbuf;
struct imsg;

/* A sealed memfd holding the file `path', read from the top; its size. */
int	 file_memfd(const char *path, const char *name, uint64_t *size);
/* The next message, waiting for it: 1, or 0 once the peer has gone. */
int	 next_imsg(struct imsgbuf *, struct imsg *);

#endif /* WR_DRIVER_H */
