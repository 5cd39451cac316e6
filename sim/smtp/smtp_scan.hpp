// smtp_scan.hpp - the octet scan the SMTP engines share: find the next CR, LF or NUL, 16 octets at
// a time where SSE2 is available (every x86-64), octet by octet elsewhere.
#pragma once
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace smtpsim::smtp {

// find_special - the first CR, LF or NUL in [p, end), else end.
inline const char* find_special(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i nul = _mm_setzero_si128();
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)),
                                     _mm_cmpeq_epi8(v, nul));
    const unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (bits != 0) return p + __builtin_ctz(bits);
    p += 16;
  }
#endif
  while (p < end && *p != '\r' && *p != '\n' && *p != '\0') ++p;
  return p;
}

}  // namespace smtpsim::smtp
