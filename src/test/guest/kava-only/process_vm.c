/* process_vm_readv and process_vm_writev (mm/process_vm_access.c): iovecs split differently on
 * each side, a forked child's memory read and written, partial transfers that stop at the
 * first unmapped page, and the errors: flags, EFAULT, EINVAL, ESRCH for a reaped child, EPERM
 * for an unprivileged process reading root's memory. Kava only: qemu-user answers both calls
 * with ENOSYS. process_vm.expected follows process_vm_rw_core: bytes moved before the first fault
 * are returned, EFAULT only when none moved; an empty local vector returns 0 before the pid is
 * looked up; mm_access's EACCES is reported as EPERM. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096L

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static char shared_src[64] = "the quick brown fox jumps over the lazy dog";

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char a[16] = {0}, b[16] = {0}, c[32] = {0};
    struct iovec local[3] = {{a, 5}, {b, 7}, {c, 20}};
    struct iovec remote[2] = {{shared_src, 10}, {shared_src + 20, 22}};
    show("readv self", process_vm_readv(getpid(), local, 3, remote, 2, 0));
    printf("  a=%.5s b=%.7s c=%.20s\n", a, b, c);
    show("readv flags", process_vm_readv(getpid(), local, 3, remote, 2, 1));
    show("readv bad local iov", process_vm_readv(getpid(), (void *)8, 1, remote, 2, 0));
    show("readv bad remote iov", process_vm_readv(getpid(), local, 3, (void *)8, 1, 0));
    struct iovec neg = {a, (size_t)-1};
    show("readv negative local len", process_vm_readv(getpid(), &neg, 1, remote, 2, 0));
    show("readv negative remote len", process_vm_readv(getpid(), local, 1, &neg, 1, 0));
    show("readv too many iovecs", process_vm_readv(getpid(), local, 1025, remote, 1, 0));
    struct iovec empty = {a, 0};
    show("readv empty local, no such pid", process_vm_readv(4194000, &empty, 1, remote, 2, 0));
    show("readv no such pid", process_vm_readv(4194000, local, 1, remote, 1, 0));
    struct iovec badlocal = {(void *)8, 5};
    show("readv local buffer unmapped", process_vm_readv(getpid(), &badlocal, 1, remote, 1, 0));
    struct iovec badremote = {(void *)8, 5};
    show("readv remote unmapped", process_vm_readv(getpid(), local, 1, &badremote, 1, 0));

    /* Partial: the remote range runs into an unmapped page. */
    char *m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + PG, 2 * PG);
    memset(m, 'x', PG);
    static char big[3 * 4096];
    struct iovec lbig = {big, sizeof big};
    struct iovec rpart = {m + PG - 100, 1000};
    show("readv up to a hole", process_vm_readv(getpid(), &lbig, 1, &rpart, 1, 0));
    struct iovec rtwo[2] = {{m, 50}, {m + PG, 50}};
    show("readv second remote iovec unmapped", process_vm_readv(getpid(), &lbig, 1, rtwo, 2, 0));
    struct iovec lpart[2] = {{big, 30}, {(void *)8, 100}};
    show("readv second local iovec unmapped", process_vm_readv(getpid(), lpart, 2, rtwo, 1, 0));

    /* A child's memory. */
    int go[2], done[2];
    pipe(go);
    pipe(done);
    char *ro = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pid_t child = fork();
    if (child == 0) {
        char ch;
        strcpy(shared_src, "child's own copy, not the parent's ");
        write(done[1], "r", 1);
        read(go[0], &ch, 1); /* the parent writes into us meanwhile */
        printf("child sees: %s\n", shared_src);
        _exit(0);
    }
    char ch;
    read(done[0], &ch, 1);
    char out[64] = {0};
    struct iovec lo = {out, 35}, ro1 = {shared_src, 35};
    show("readv child", process_vm_readv(child, &lo, 1, &ro1, 1, 0));
    printf("  got: %s\n", out);
    printf("  parent's own: %.20s\n", shared_src);
    char msg[] = "written by the parent via writev!!";
    struct iovec wl[2] = {{msg, 10}, {msg + 10, sizeof msg - 10}};
    struct iovec wr = {shared_src, sizeof msg};
    show("writev child", process_vm_writev(child, wl, 2, &wr, 1, 0));
    struct iovec wro = {ro, 10};
    show("writev child read-only page", process_vm_writev(child, wl, 1, &wro, 1, 0));
    write(go[1], "g", 1);
    waitpid(child, NULL, 0);
    show("readv reaped child", process_vm_readv(child, &lo, 1, &ro1, 1, 0));

    /* An unprivileged process may not read root's memory. */
    pid_t parent = getpid();
    child = fork();
    if (child == 0) {
        if (setuid(1000) != 0) _exit(1);
        char x[8];
        struct iovec l1 = {x, 8}, r1 = {shared_src, 8};
        show("user readv root's memory", process_vm_readv(parent, &l1, 1, &r1, 1, 0));
        show("user readv own memory", process_vm_readv(getpid(), &l1, 1, &r1, 1, 0));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    return 0;
}
