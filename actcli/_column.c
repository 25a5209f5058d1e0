/* The numbers of stdin's text, read into float64 without making a Python object per number.

   Why it exists: reading stdin was the largest part of `actcli eval sigmoid -` on a
   million lines: orjson builds a Python float per number and NumPy then copies them
   (45 ms per million lines here); NumPy's own text parsers take 170 ms. This reads them
   in about 20 ms. docs/performance.md has the measurements.

   parse(data, rows=False) -> (bytearray, int[, bytearray]) | None
     data: bytes-like text in the grammar of actcli/cli/inputs.py: lines of numbers
     separated by blanks or by a comma with optional blanks, blanks (space, tab, CR)
     around them, blank lines anywhere. A number is actcli's (actcli/numbers.py): [+-]?
     then digits with an optional point, or a point and digits, then an optional
     exponent; or nan, inf, infinity in any case. Returns the float64 values, the number
     of newlines and, with rows (for vector-valued functions), how many values each
     non-blank line holds, as int64; or None when the text is anything else (or has a token
     over 400 characters): the caller then takes its general path, which names the bad
     token.

   Exactness: every value is the correctly rounded float64 (round half to even), as
   Python's float() gives. The significand w is read exactly into 64 bits when it has at
   most 19 digits, and the value is w * 10^q. With x87 extended precision (a 64-bit
   significand, x86), 10^q is exact for |q| <= 27, so w * 10^q or w / 10^-q is one
   correctly rounded operation; rounding that to 53 bits can only go wrong (a double
   rounding) if it lies exactly halfway between two doubles, and such a token is left to
   the fallback. Elsewhere, Clinger's exact case is used: w <= 2^53 and |q| <= 22. The
   fallback, for every other token (more digits, larger exponents), is glibc's
   strtod_l, correctly rounded too, or CPython's PyOS_string_to_double without glibc. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ACTCLI_PORTABLE builds what a platform without glibc or x87 gets (to test that here). */
#if defined(__GLIBC__) && !defined(ACTCLI_PORTABLE)
#include <locale.h>
/* glibc's strtod is correctly rounded; with the C locale it reads '.' as the point
   whatever the process's locale, and it needs no GIL, so the parse can release it. */
#define STRTOD_L 1
static locale_t c_locale;
#define GIL_FREE (c_locale != (locale_t)0)
#else
#define STRTOD_L 0
#define GIL_FREE 0
#endif

#if LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__)) && !defined(ACTCLI_PORTABLE)
#define EXTENDED 1
static int extended_ok;  /* set at import: the FPU really rounds to 64 bits */
static const long double POW10L[28] = {
    1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
    1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L,
    1e26L, 1e27L};
#else
#define EXTENDED 0
#endif

static const double POW10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define MAX_TOKEN 400 /* longer tokens are left to the caller's general path */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define EIGHT_AT_A_TIME 1
#else
#define EIGHT_AT_A_TIME 0
#endif

static inline int is_digit(char c) { return (unsigned char)(c - '0') < 10; }

/* Digits from p on, appended to *w (mod 2^64: the caller counts them), eight at a time
   where it can: a word of eight ASCII digits is recognised and converted with a few
   multiplications instead of eight dependent steps. */
static const char *read_digits(const char *p, const char *end, uint64_t *w) {
    uint64_t x = *w;
#if EIGHT_AT_A_TIME
    while (end - p >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        if (((v + UINT64_C(0x4646464646464646)) | (v - UINT64_C(0x3030303030303030))) & UINT64_C(0x8080808080808080))
            break; /* some byte is not '0'..'9' */
        v -= UINT64_C(0x3030303030303030);
        v = v * 10 + (v >> 8);                  /* pairs of digits */
        v = ((v & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x000F424000000064) +
             ((v >> 16) & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x0000271000000001)) >> 32;
        x = x * 100000000 + (uint32_t)v;
        p += 8;
    }
#endif
    for (; p < end && is_digit(*p); p++)
        x = x * 10 + (uint64_t)(*p - '0');
    *w = x;
    return p;
}

/* Whether the digits in [p, end) (a point allowed among them) have at most 19 after
   the leading zeros, so that the accumulated significand is exact. */
static int fits_in_64_bits(const char *p, const char *end) {
    int significant = 0;
    for (; p < end; p++) {
        if (*p == '.' || (significant == 0 && *p == '0'))
            continue;
        if (++significant > 19)
            return 0;
    }
    return 1;
}

/* The value of w * 10^q if it can be had exactly from hardware arithmetic; 0 if not. */
static inline int fast_value(uint64_t w, int q, double *value) {
#if EXTENDED
    if (extended_ok) {
        if (q < -27 || q > 27)
            return 0;
        long double r = q < 0 ? (long double)w / POW10L[-q] : (long double)w * POW10L[q];
        uint64_t bits;
        memcpy(&bits, &r, sizeof bits); /* x87 layout: the 64-bit significand comes first */
        if ((bits & 0x7FF) == 0x400)
            return 0; /* halfway between two doubles in 64 bits: could be double rounding */
        *value = (double)r;
        return 1;
    }
#endif
    if (w <= (UINT64_C(1) << 53) && q >= -22 && q <= 22) { /* Clinger: one exact operand each */
        *value = q < 0 ? (double)w / POW10[-q] : (double)w * POW10[q];
        return 1;
    }
    return 0;
}

static int match_word(const char *p, const char *end, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((p[i] | 0x20) != word[i])
            return 0;
    return 1;
}

/* One number at p, ending before end or a newline. Returns where it ends with *value set,
   NULL if the text there is not one number (*error set if that is a Python error). */
static const char *read_number(const char *p, const char *end, double *value, int *error) {
    const char *start = p;
    int negative = 0;
    if (p < end && (*p == '+' || *p == '-')) {
        negative = *p == '-';
        p++;
    }
    if (p < end && !is_digit(*p) && *p != '.') {
        double v = Py_HUGE_VAL;
        if (match_word(p, end, "nan"))
            v = Py_NAN, p += 3;
        else if (match_word(p, end, "infinity"))
            p += 8;
        else if (match_word(p, end, "inf"))
            p += 3;
        else
            return NULL;
        *value = negative ? -v : v;
        return p;
    }
    uint64_t w = 0;
    const char *digits = p;
    p = read_digits(p, end, &w);
    int fraction = 0, point = 0;
    if (p < end && *p == '.') {
        const char *after = ++p;
        point = 1;
        p = read_digits(p, end, &w);
        fraction = (int)(p - after);
    }
    const char *digits_end = p;
    if (digits_end - digits == point)
        return NULL; /* no digit at all: "", ".", "-" */
    int q = -fraction;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int exp_negative = 0, exponent = 0;
        if (p < end && (*p == '+' || *p == '-')) {
            exp_negative = *p == '-';
            p++;
        }
        if (p == end || !is_digit(*p))
            return NULL;
        for (; p < end && is_digit(*p); p++)
            if (exponent < 100000)
                exponent = exponent * 10 + (*p - '0');
        q += exp_negative ? -exponent : exponent;
    }
    int exact = digits_end - digits <= 19 || fits_in_64_bits(digits, digits_end); /* else w wrapped */
    if (exact && w == 0) {
        *value = negative ? -0.0 : 0.0;
        return p;
    }
    if (exact && fast_value(w, q, value)) {
        *value = copysign(*value, negative ? -1.0 : 1.0);
        return p;
    }
    if (p - start > MAX_TOKEN)
        return NULL;
    char copy[MAX_TOKEN + 1];
    memcpy(copy, start, (size_t)(p - start));
    copy[p - start] = '\0';
#if STRTOD_L
    if (c_locale) {
        *value = strtod_l(copy, NULL, c_locale); /* inf for 1e400, as float() gives */
        return p;
    }
#endif
    double v = PyOS_string_to_double(copy, NULL, NULL);
    if (v == -1.0 && PyErr_Occurred()) {
        *error = 1;
        return NULL;
    }
    *value = v;
    return p;
}

static inline const char *skip_blanks(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p;
}

/* The values of [p, end) into values (room for them all): their count, or -1 if the text
   is not in the grammar. With widths, also how many values each non-blank line has, in
   order (*rows of them). */
static Py_ssize_t read_text(const char *p, const char *end, double *values, int64_t *widths, Py_ssize_t *rows,
                            int *error) {
    Py_ssize_t count = 0;
    while (p < end) { /* a line */
        Py_ssize_t line_start = count;
        p = skip_blanks(p, end);
        while (p < end && *p != '\n') { /* a number, then a separator or the line's end */
            const char *stop = read_number(p, end, &values[count], error);
            if (stop == NULL)
                return -1;
            count++;
            p = skip_blanks(stop, end);
            if (p < end && *p == ',') {
                p = skip_blanks(p + 1, end);
                if (p == end || *p == '\n')
                    return -1; /* an empty field */
            } else if (p == stop && p < end && *p != '\n') {
                return -1; /* no separator: "1x", "1.5.3" */
            }
        }
        if (widths != NULL && count > line_start)
            widths[(*rows)++] = count - line_start;
        if (p < end)
            p++; /* past the newline */
    }
    return count;
}

static PyObject *parse(PyObject *self, PyObject *args) {
    PyObject *source;
    int by_rows = 0;
    if (!PyArg_ParseTuple(args, "O|p", &source, &by_rows))
        return NULL;
    Py_buffer data;
    if (PyObject_GetBuffer(source, &data, PyBUF_SIMPLE) < 0)
        return NULL;
    const char *p = data.buf, *end = p + data.len;
    Py_ssize_t newlines = 0; /* memchr, not bytes.count: that walks a byte at a time (13 ms/M lines) */
    for (const char *nl = p; (nl = memchr(nl, '\n', (size_t)(end - nl))) != NULL; nl++)
        newlines++;
    /* Every number but the last takes at least two bytes with its separator. */
    Py_ssize_t room = data.len / 2 + 1, rows = 0, count = -1;
    PyObject *out = PyByteArray_FromStringAndSize(NULL, room * (Py_ssize_t)sizeof(double));
    PyObject *widths = by_rows ? PyByteArray_FromStringAndSize(NULL, (newlines + 1) * (Py_ssize_t)sizeof(int64_t))
                               : NULL;
    int error = 0;
    if (out != NULL && (widths != NULL || !by_rows)) {
        double *values = (double *)PyByteArray_AS_STRING(out);
        int64_t *width = widths ? (int64_t *)PyByteArray_AS_STRING(widths) : NULL;
        if (GIL_FREE) { /* without the GIL: another thread can run while this one reads */
            Py_BEGIN_ALLOW_THREADS
            count = read_text(p, end, values, width, &rows, &error);
            Py_END_ALLOW_THREADS
        } else {
            count = read_text(p, end, values, width, &rows, &error);
        }
    }
    PyBuffer_Release(&data);
    if (count < 0 || PyByteArray_Resize(out, count * (Py_ssize_t)sizeof(double)) < 0 ||
        (widths != NULL && PyByteArray_Resize(widths, rows * (Py_ssize_t)sizeof(int64_t)) < 0)) {
        Py_XDECREF(out);
        Py_XDECREF(widths);
        if (error || PyErr_Occurred())
            return NULL;
        Py_RETURN_NONE;
    }
    if (widths != NULL)
        return Py_BuildValue("(NnN)", out, newlines, widths);
    return Py_BuildValue("(Nn)", out, newlines);
}

/* For tests: switch the extended-precision path off (or back on, where the FPU allows it),
   so the exact-double path that other platforms take is tested here too. */
static PyObject *set_extended(PyObject *self, PyObject *flag) {
#if EXTENDED
    int was = extended_ok;
    volatile long double one = 1.0L, odd = 9007199254740993.0L;
    extended_ok = PyObject_IsTrue(flag) && (uint64_t)(odd * one) == UINT64_C(9007199254740993);
    return PyBool_FromLong(was);
#else
    Py_RETURN_FALSE;
#endif
}

static PyMethodDef methods[] = {
    {"_set_extended", set_extended, METH_O, "_set_extended(flag) -> bool: for tests; the previous setting"},
    {"parse", parse, METH_VARARGS,
     "parse(data, rows=False) -> (bytearray, int[, bytearray]) | None: the float64 values of stdin's text, its "
     "newlines and, with rows, the int64 width of each non-blank line; None if it is not in the grammar"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_column", "The numbers of stdin's text, read into float64.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__column(void) {
    /* 2^53 + 1 survives a multiplication only if the FPU keeps 64 significant bits (it
       does on Linux and macOS; a 53-bit precision-control setting would break the proof). */
    Py_XDECREF(set_extended(NULL, Py_True));
#if STRTOD_L
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); /* if that fails: PyOS_string_to_double */
#endif
    PyObject *m = PyModule_Create(&module);
    /* Whether the fast arithmetic is there: without it most 17-digit numbers go to strtod,
       and reading is slower than orjson's (actcli/cli/inputs.py then uses orjson). */
#if EXTENDED
    int fast = extended_ok;
#else
    int fast = 0;
#endif
    if (m != NULL && PyModule_AddIntConstant(m, "EXTENDED", fast) < 0)
        Py_CLEAR(m);
    return m;
}
