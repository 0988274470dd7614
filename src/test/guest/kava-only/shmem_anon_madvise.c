/* madvise on shared anonymous memory, where qemu-user (which answers MADV_REMOVE and MADV_FREE
   itself, with 0 and no effect) cannot be the oracle; the expectations are Linux's mm/madvise.c:
   MADV_REMOVE punches a hole in the mapping's tmpfs file, so every mapping of it, a child's
   included, reads zeros afterwards; it is EINVAL without a file (private anonymous memory);
   MADV_FREE is EINVAL for anything but anonymous memory; MADV_DONTNEED is EINVAL on a locked area.
   mremap with old_len 0 (qemu-user refuses it) maps a shared area a second time and is EINVAL
   for a private one. Also /proc/meminfo's Shmem (NR_SHMEM), exact in kava; Linux folds its per-cpu deltas lazily
   and other processes move it, so there it only tends to the same figure. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096L
#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")

/* Kilobytes of Shmem in /proc/meminfo. */
static long meminfo_shmem(void) {
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/meminfo", "r");
    while (f && fgets(line, sizeof line, f)) sscanf(line, "Shmem: %ld kB", &kb);
    if (f) fclose(f);
    return kb;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int to_child[2], to_parent[2];
    char c;
    pipe(to_child);
    pipe(to_parent);
    m[0] = 7;
    m[PG] = 8;
    pid_t pid = fork();
    if (pid == 0) {
        int before = m[0]; /* the child maps the page before the parent's hole */
        write(to_parent[1], "x", 1);
        read(to_child[0], &c, 1);
        printf("child: before %d, after the parent's MADV_REMOVE %d, other page %d\n", before, m[0], m[PG]);
        _exit(0);
    }
    read(to_parent[0], &c, 1);
    int r = madvise(m, PG, MADV_REMOVE);
    printf("MADV_REMOVE shared anonymous: %s, reads %d, other page %d\n", ERR(r), m[0], m[PG]);
    write(to_child[1], "x", 1);
    waitpid(pid, NULL, 0);
    m[0] = 9;
    printf("written again after the hole: %d\n", m[0]);

    char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 3;
    r = madvise(p, PG, MADV_REMOVE);
    printf("MADV_REMOVE private anonymous: %s, reads %d\n", ERR(r), p[0]);
    r = madvise(m, PG, MADV_FREE);
    printf("MADV_FREE shared anonymous: %s, reads %d\n", ERR(r), m[0]);
    r = madvise(p, PG, MADV_FREE);
    printf("MADV_FREE private anonymous: %s\n", ERR(r));

    char *l = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    l[0] = 5;
    r = madvise(l, PG, MADV_DONTNEED);
    printf("MADV_DONTNEED locked: %s, reads %d\n", ERR(r), l[0]);

    char *dup = mremap(m, 0, 2 * PG, MREMAP_MAYMOVE);
    if (dup == MAP_FAILED) {
        printf("mremap old_len 0 of shared: %s\n", strerrorname_np(errno));
    } else {
        dup[PG] = 33;
        printf("mremap old_len 0 of shared: %s, reads %d, writes through %d\n", dup != m ? "a second mapping" : "same",
               dup[0], m[PG]);
    }
    char *pdup = mremap(p, 0, PG, MREMAP_MAYMOVE);
    printf("mremap old_len 0 of private: %s\n", pdup == MAP_FAILED ? strerrorname_np(errno) : "ok");

    long before = meminfo_shmem();
    char *t = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 16; i++) t[i * PG] = 1;
    long touched = meminfo_shmem();
    munmap(t, 16 * PG);
    printf("meminfo Shmem: +%ld kB for 16 touched pages, +%ld kB after munmap\n", touched - before, meminfo_shmem() - before);
    return 0;
}
