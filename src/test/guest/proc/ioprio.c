/* ioprio_get/ioprio_set (block/ioprio.c): busybox ionice got ENOSYS. Values read back (raw for
   IOPRIO_WHO_PROCESS, nice-derived for a class-NONE context through IOPRIO_WHO_PGRP), the
   class checks (EINVAL, a 16-bit stored value), bad which/who, inheritance by fork (only of a
   valid class) and setting a whole process group. The test makes its own process group and
   never uses IOPRIO_WHO_USER on a real uid: under qemu that would reach every root process of
   the host. PGRP queries come only after PGRP settings, so that qemu-user's own host threads
   (one more thread in the group) read the same as kava's single thread. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PRIO(class, data) (((class) << 13) | (data))
enum { NONE, RT, BE, IDLE };
enum { WHO_PROCESS = 1, WHO_PGRP, WHO_USER };

static void show(const char *what, long r) {
    if (r < 0) printf("%s: %s\n", what, strerrorname_np(errno));
    else printf("%s: %#lx\n", what, r);
}

static long get(int which, int who) {
    return syscall(SYS_ioprio_get, which, who);
}

static long set(int which, int who, int prio) {
    return syscall(SYS_ioprio_set, which, who, prio);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    setpgid(0, 0);
    show("default", get(WHO_PROCESS, 0));
    show("set BE 3", set(WHO_PROCESS, 0, PRIO(BE, 3)));
    show("get self", get(WHO_PROCESS, 0));
    show("get by pid", get(WHO_PROCESS, getpid()));
    show("set RT 2", set(WHO_PROCESS, 0, PRIO(RT, 2)));
    show("get", get(WHO_PROCESS, 0));
    show("set IDLE 5", set(WHO_PROCESS, 0, PRIO(IDLE, 5)));
    show("get", get(WHO_PROCESS, 0));
    show("set BE level 8", set(WHO_PROCESS, 0, PRIO(BE, 8)));
    show("get", get(WHO_PROCESS, 0));
    show("set high bits", set(WHO_PROCESS, 0, 0x10000 | PRIO(BE, 2)));
    show("get (16 bits kept)", get(WHO_PROCESS, 0));
    show("set NONE 1", set(WHO_PROCESS, 0, PRIO(NONE, 1)));
    show("set class 4", set(WHO_PROCESS, 0, PRIO(4, 0)));
    show("set class 7", set(WHO_PROCESS, 0, PRIO(7, 0)));
    show("set -1", set(WHO_PROCESS, 0, -1));
    show("set bad which", set(0, 0, PRIO(BE, 1)));
    show("set which 4", set(4, 0, PRIO(BE, 1)));
    show("set bad which and class", set(9, 0, PRIO(5, 0)));
    show("get bad which", get(0, 0));
    show("get which 4", get(4, 0));
    show("set no such pid", set(WHO_PROCESS, 999999, PRIO(BE, 1)));
    show("get no such pid", get(WHO_PROCESS, 999999));
    show("get negative pid", get(WHO_PROCESS, -3));
    show("get no such pgrp", get(WHO_PGRP, 999999));
    show("set no such pgrp", set(WHO_PGRP, 999999, PRIO(BE, 1)));
    show("get no such user", get(WHO_USER, 54321));
    show("set no such user", set(WHO_USER, 54321, PRIO(BE, 1)));
    show("get still", get(WHO_PROCESS, 0));

    /* fork keeps a valid class, not NONE. */
    set(WHO_PROCESS, 0, PRIO(BE, 5));
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        show("child inherits", get(WHO_PROCESS, 0));
        _exit(0);
    }
    waitpid(p, NULL, 0);
    set(WHO_PROCESS, 0, PRIO(NONE, 0));
    show("set NONE", get(WHO_PROCESS, 0));
    fflush(stdout);
    p = fork();
    if (p == 0) {
        show("child after NONE", get(WHO_PROCESS, 0));
        _exit(0);
    }
    waitpid(p, NULL, 0);

    /* A process group: a child in it, set through the group, seen by the child. */
    int go[2], done[2];
    pipe(go);
    pipe(done);
    fflush(stdout);
    p = fork();
    if (p == 0) {
        char c;
        read(go[0], &c, 1);
        show("child sees group setting", get(WHO_PROCESS, 0));
        write(done[1], "x", 1);
        _exit(0);
    }
    show("set group BE 1", set(WHO_PGRP, 0, PRIO(BE, 1)));
    show("get group", get(WHO_PGRP, 0));
    show("get group by pgid", get(WHO_PGRP, getpgrp()));
    show("get child", get(WHO_PROCESS, p));
    write(go[1], "x", 1);
    char c;
    read(done[0], &c, 1);
    waitpid(p, NULL, 0);

    /* Class NONE in a context: a group query derives BE and (nice + 20) / 5 from the nice value. */
    show("set group NONE", set(WHO_PGRP, 0, PRIO(NONE, 0)));
    show("get group (nice 0)", get(WHO_PGRP, 0));
    setpriority(PRIO_PGRP, 0, 10);
    show("get group (nice 10)", get(WHO_PGRP, 0));
    show("get self raw", get(WHO_PROCESS, 0));
    setpriority(PRIO_PGRP, 0, 19);
    show("get group (nice 19)", get(WHO_PGRP, 0));
    /* The best (lowest value) of the group: IDLE 0 vs BE 7. */
    show("set group IDLE 0", set(WHO_PGRP, 0, PRIO(IDLE, 0)));
    show("get group", get(WHO_PGRP, 0));
    return 0;
}
