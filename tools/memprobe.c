/* Machine probe for tools/bench_all.sh: how fast this machine hands out fresh memory (first write to anonymous pages,
   4 KiB pages and, with MADV_HUGEPAGE, 2 MiB pages) against rewriting memory already touched. In a virtual machine whose
   page faults trap to the hypervisor, a fresh page costs far more than the bytes written to it; whole-process timings of
   programs with a large footprint then depend on it (docs/benchmarks.md, round 7).
   Build: cc -O2 -o memprobe tools/memprobe.c     Run: ./memprobe [MiB, default 256]
   Prints one line: fresh memory … GB/s (4 KiB pages), … GB/s (2 MiB pages), rewrite … GB/s */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

/* Touches every 4 KiB page of a fresh mapping of `bytes` once; returns GB/s. */
static double fresh(size_t bytes, int huge, double *rewrite) {
  size_t align = (size_t)2 << 20;
  char *raw = mmap(NULL, bytes + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) { perror("mmap"); exit(1); }
  char *p = (char *)(((size_t)raw + align - 1) & ~(align - 1));
  madvise(p, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  double t0 = now();
  for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
  double t1 = now();
  memset(p, 2, bytes);
  double t2 = now();
  if (rewrite) *rewrite = bytes / 1e9 / (t2 - t1);
  munmap(raw, bytes + align);
  return bytes / 1e9 / (t1 - t0);
}

int main(int argc, char **argv) {
  size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
  size_t bytes = mib << 20;
  double rewrite;
  double small = fresh(bytes, 0, &rewrite);
  double huge = fresh(bytes, 1, NULL);
  printf("fresh memory %.2f GB/s (4 KiB pages), %.2f GB/s (2 MiB pages), rewrite %.1f GB/s\n", small, huge, rewrite);
  return 0;
}
