/* A small stack-machine bytecode interpreter running a few programs (a switch-dispatch loop). */
#include <stdint.h>
#include <stdio.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JMP, JZ, DUP, DROP, PRINT, HALT };

static int64_t run(const int64_t *code, int64_t *vars, int trace) {
    int64_t stack[64];
    int sp = 0;
    int64_t steps = 0;
    for (int pc = 0;;) {
        steps++;
        int64_t op = code[pc++];
        switch (op) {
            case PUSH: stack[sp++] = code[pc++]; break;
            case LOAD: stack[sp++] = vars[code[pc++]]; break;
            case STORE: vars[code[pc++]] = stack[--sp]; break;
            case ADD: sp--; stack[sp - 1] += stack[sp]; break;
            case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
            case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
            case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
            case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
            case JMP: pc = (int)code[pc]; break;
            case JZ: pc = stack[--sp] ? pc + 1 : (int)code[pc]; break;
            case DUP: stack[sp] = stack[sp - 1]; sp++; break;
            case DROP: sp--; break;
            case PRINT: if (trace) printf("  out %lld\n", (long long)stack[sp - 1]); sp--; break;
            case HALT: return steps;
        }
    }
}

/* A tiny assembler with forward labels. */
static int64_t code[256];
static int len;
static int labels[16], fixups[32][2], nfix;
static void emit(int64_t op) { code[len++] = op; }
static void emit1(int64_t op, int64_t arg) { emit(op); emit(arg); }
static void jump(int64_t op, int label) { emit(op); fixups[nfix][0] = len; fixups[nfix++][1] = label; emit(0); }
static void label(int l) { labels[l] = len; }
static void link(void) { for (int i = 0; i < nfix; i++) code[fixups[i][0]] = labels[fixups[i][1]]; nfix = 0; }

int main(void) {
    /* fib: vars 0=a 1=b 2=i 3=n. while (i < n) { t = a + b; a = b; b = t; i++ } print a */
    len = 0;
    emit1(PUSH, 0); emit1(STORE, 0); emit1(PUSH, 1); emit1(STORE, 1); emit1(PUSH, 0); emit1(STORE, 2);
    label(0);
    emit1(LOAD, 2); emit1(LOAD, 3); emit(LT); jump(JZ, 1);
    emit1(LOAD, 0); emit1(LOAD, 1); emit(ADD); emit1(LOAD, 1); emit1(STORE, 0); emit1(STORE, 1);
    emit1(LOAD, 2); emit1(PUSH, 1); emit(ADD); emit1(STORE, 2); jump(JMP, 0);
    label(1);
    emit1(LOAD, 0); emit(PRINT); emit(HALT);
    link();
    for (int n = 0; n <= 90; n += 10) {
        int64_t vars[8] = {0, 0, 0, n};
        int64_t steps = run(code, vars, 1);
        printf("fib(%d) steps %lld a=%lld\n", n, (long long)steps, (long long)vars[0]);
    }

    /* primes below n by trial division: vars 0=i 1=j 2=count 3=n 4=isprime */
    len = 0;
    emit1(PUSH, 2); emit1(STORE, 0); emit1(PUSH, 0); emit1(STORE, 2);
    label(0); /* outer: while (i < n) */
    emit1(LOAD, 0); emit1(LOAD, 3); emit(LT); jump(JZ, 5);
    emit1(PUSH, 1); emit1(STORE, 4); emit1(PUSH, 2); emit1(STORE, 1);
    label(1); /* inner: while (j*j < i+1) */
    emit1(LOAD, 1); emit(DUP); emit(MUL); emit1(LOAD, 0); emit1(PUSH, 1); emit(ADD); emit(LT); jump(JZ, 3);
    emit1(LOAD, 0); emit1(LOAD, 1); emit(MOD); jump(JZ, 2);
    emit1(LOAD, 1); emit1(PUSH, 1); emit(ADD); emit1(STORE, 1); jump(JMP, 1);
    label(2); /* divisible */
    emit1(PUSH, 0); emit1(STORE, 4);
    label(3); /* count += isprime; i++ */
    emit1(LOAD, 2); emit1(LOAD, 4); emit(ADD); emit1(STORE, 2);
    emit1(LOAD, 0); emit1(PUSH, 1); emit(ADD); emit1(STORE, 0); jump(JMP, 0);
    label(5);
    emit1(LOAD, 2); emit(PRINT); emit(HALT);
    link();
    for (int n = 10; n <= 5120; n *= 2) {
        int64_t vars[8] = {0, 0, 0, n};
        int64_t steps = run(code, vars, 0);
        printf("primes below %d: %lld (steps %lld)\n", n, (long long)vars[2], (long long)steps);
    }
    return 0;
}
