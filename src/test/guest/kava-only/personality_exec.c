/* personality across exec and in uname (kernel/exec_domain.c, kernel/sys.c): exec keeps the
   flags and a PER_LINUX32 base (riscv's SET_PERSONALITY with CONFIG_COMPAT) and turns any other
   base into PER_LINUX; uname says "riscv32" under PER_LINUX32 (COMPAT_UTS_MACHINE) and
   2.6.(60 + patch level) under UNAME26 (override_release). Kava-only: qemu-user can neither exec
   a riscv64 program without binfmt_misc nor show a riscv32 machine. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/utsname.h>
#include <unistd.h>

#define QUERY 0xffffffff

static void show(const char *who) {
    struct utsname u;
    uname(&u);
    /* The release's first number only: kava's 7.0.x minor versions may move on. */
    char rel[8] = {0};
    strncpy(rel, u.release, strncmp(u.release, "2.6.", 4) == 0 ? 7 : 2);
    printf("%s: personality %#x machine %s release %s\n", who, personality(QUERY), u.machine, rel);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "second") == 0) {
        show("after exec with a BSD base");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "first") == 0) {
        show("after exec with PER_LINUX32");
        personality(0x0006 /* PER_BSD */ | UNAME26);
        show("PER_BSD|UNAME26");
        execl(argv[0], argv[0], "second", (char *)NULL);
        perror("execl");
        return 1;
    }
    show("start");
    personality(PER_LINUX32 | ADDR_NO_RANDOMIZE);
    show("PER_LINUX32|ADDR_NO_RANDOMIZE");
    personality(PER_LINUX | UNAME26);
    show("UNAME26");
    personality(PER_LINUX32 | ADDR_NO_RANDOMIZE);
    execl(argv[0], argv[0], "first", (char *)NULL);
    perror("execl");
    return 1;
}
