/* personality(2) (kernel/exec_domain.c): busybox linux32/linux64 got ENOSYS. The query value
   0xffffffff, any value stored and returned as the old one, inheritance by fork and by new
   threads, and a per-thread value (a thread's change is its own). exec and uname's
   PER_LINUX32/UNAME26 views are in kava-only/personality_exec.c: qemu-user cannot exec a
   riscv64 program nor show riscv32 in uname. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

#define QUERY 0xffffffff

static void *thread_main(void *arg) {
    (void)arg;
    printf("thread starts with %#x\n", personality(QUERY));
    printf("thread sets PER_LINUX, old %#x\n", personality(PER_LINUX));
    printf("thread now %#x\n", personality(QUERY));
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("initial %#x\n", personality(QUERY));
    printf("query again %#x\n", personality(QUERY));
    printf("set PER_LINUX32, old %#x\n", personality(PER_LINUX32));
    printf("now %#x\n", personality(QUERY));
    printf("set ADDR_NO_RANDOMIZE, old %#x\n", personality(PER_LINUX | ADDR_NO_RANDOMIZE));
    printf("set any value, old %#x\n", personality(0x12345678));
    printf("now %#x\n", personality(QUERY));
    printf("set ADDR_NO_RANDOMIZE|PER_LINUX32, old %#x\n", personality(PER_LINUX32 | ADDR_NO_RANDOMIZE));
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        printf("child inherits %#x\n", personality(QUERY));
        personality(PER_LINUX);
        _exit(0);
    }
    waitpid(p, NULL, 0);
    printf("parent keeps %#x\n", personality(QUERY));
    pthread_t th;
    pthread_create(&th, NULL, thread_main, NULL);
    pthread_join(th, NULL);
    printf("main thread keeps %#x\n", personality(QUERY));
    return 0;
}
