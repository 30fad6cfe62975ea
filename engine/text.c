/*
 * text.c - untrusted text handling; see text.h.
 */
#include "config.h"

#include "text.h"

#include <stdio.h>
#include <string.h>

int utf8_seq(const unsigned char *s, size_t avail, unsigned *cp)
{
    unsigned c = s[0], min;
    int len;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; *cp = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; *cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; *cp = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)len > avail)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

bool text_cp_dangerous(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x00AD || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x200B || cp == 0x061C;
}

long text_problem(const char *s, size_t n, bool allow_nl, const char **why)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] >= 0x20 && u[i] < 0x7F) {     /* printable ASCII: the common case */
            i++;
            continue;
        }
        unsigned cp;
        int len = utf8_seq(u + i, n - i, &cp);
        if (len == 0) {
            *why = "invalid UTF-8";
            return (long)i;
        }
        if ((cp < 0x20 && !(allow_nl && (cp == '\n' || cp == '\t' || cp == '\r'))) ||
            cp == 0x7F) {
            *why = "control character (possible terminal escape injection)";
            return (long)i;
        }
        if (text_cp_dangerous(cp)) {
            *why = "invisible or bidirectional control character";
            return (long)i;
        }
        i += (size_t)len;
    }
    return -1;
}

/* Appends s to out if it fits; returns false when out is full. */
static bool put(char *out, size_t outsz, size_t *o, const char *s)
{
    size_t n = strlen(s);
    if (*o + n + 1 > outsz)
        return false;
    memcpy(out + *o, s, n);
    *o += n;
    return true;
}

size_t text_sanitize(const char *s, char *out, size_t outsz, bool keep_nl)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;
    if (outsz == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        char tmp[16];
        int len = utf8_seq(u + i, n - i, &cp);
        if (len == 0) {
            snprintf(tmp, sizeof tmp, "\\x%02X", u[i]);
            len = 1;
        } else if (cp == '\n' && keep_nl) {
            strcpy(tmp, "\n");
        } else if (cp < 0x20) {
            snprintf(tmp, sizeof tmp, "^%c", (char)(cp + 0x40));
        } else if (cp == 0x7F) {
            strcpy(tmp, "^?");
        } else if (text_cp_dangerous(cp)) {
            snprintf(tmp, sizeof tmp, "<U+%04X>", cp);
        } else {
            memcpy(tmp, u + i, (size_t)len);
            tmp[len] = '\0';
        }
        if (!put(out, outsz, &o, tmp))
            break;
        i += (size_t)len;
    }
    out[o] = '\0';
    return o;
}

static bool alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* True when s is non-empty and every character is alphanumeric or in extra. */
static bool made_of(const char *s, const char *extra)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!alnum(*s) && !strchr(extra, *s))
            return false;
    return true;
}

bool text_is_id(const char *s)
{
    return s && alnum(*s) && made_of(s, "._-");
}

bool text_is_key(const char *s)
{
    return made_of(s, "._/$-");
}

/* True when s is digits separated by single dots. */
static bool is_dotted(const char *s)
{
    bool digit = false;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digit = true;
        else if (*s == '.' && digit)
            digit = false;
        else
            return false;
    }
    return digit;
}

int text_vercmp(const char *a, const char *b)
{
    if (!is_dotted(a) || !is_dotted(b))
        return strcmp(a, b);
    while (*a || *b) {
        unsigned long long x = 0, y = 0;
        while (*a >= '0' && *a <= '9')
            x = x * 10 + (unsigned)(*a++ - '0');
        while (*b >= '0' && *b <= '9')
            y = y * 10 + (unsigned)(*b++ - '0');
        if (x != y)
            return x < y ? -1 : 1;
        if (*a == '.')
            a++;
        if (*b == '.')
            b++;
    }
    return 0;
}

size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

void text_copy(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (n == 0)
        return;
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}
