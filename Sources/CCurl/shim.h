#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
// libcurl's `curl_easy_setopt` and `curl_easy_getinfo` are C variadic
// functions, which Swift cannot call. Each shim below fixes the type of the
// variadic argument so Swift can import it. Invariant: every shim passes its
// argument through unchanged as exactly the C type libcurl documents for that
// option family (long, char*, void*, curl_slist*, function pointer), so the
// option and the shim must be paired as libcurl's docs say.
#include <curl/curl.h>
#include <stddef.h>

/// Calls `curl_global_init(CURL_GLOBAL_DEFAULT)`; the macro is an OR of two macros, which Swift does not import.
/// Call it once per process before any other libcurl function (TributaryHTTP does, through a Swift lazy global).
static inline CURLcode ccurl_global_init_default(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

/// Sets a `long` option (CURLOPT_VERBOSE, CURLOPT_TIMEOUT_MS, ...).
static inline CURLcode ccurl_easy_setopt_long(CURL *_Nonnull handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a string option (CURLOPT_URL, CURLOPT_USERAGENT, ...). libcurl copies it.
static inline CURLcode ccurl_easy_setopt_string(CURL *_Nonnull handle, CURLoption option,
                                                const char *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an opaque pointer option (CURLOPT_WRITEDATA, CURLOPT_XFERINFODATA, ...).
static inline CURLcode ccurl_easy_setopt_pointer(CURL *_Nonnull handle, CURLoption option,
                                                 void *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a `struct curl_slist *` option (CURLOPT_HTTPHEADER, ...). The list must
/// outlive the transfer; libcurl does not copy it.
static inline CURLcode ccurl_easy_setopt_slist(CURL *_Nonnull handle, CURLoption option,
                                               struct curl_slist *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets CURLOPT_WRITEFUNCTION.
static inline CURLcode ccurl_easy_setopt_write_callback(
    CURL *_Nonnull handle,
    size_t (*_Nullable callback)(char *_Nullable, size_t, size_t, void *_Nullable)) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

/// Sets CURLOPT_HEADERFUNCTION.
static inline CURLcode ccurl_easy_setopt_header_callback(
    CURL *_Nonnull handle,
    size_t (*_Nullable callback)(char *_Nullable, size_t, size_t, void *_Nullable)) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

/// Sets CURLOPT_XFERINFOFUNCTION. Also set CURLOPT_NOPROGRESS to 0 for it to be called.
static inline CURLcode ccurl_easy_setopt_xferinfo_callback(
    CURL *_Nonnull handle,
    int (*_Nullable callback)(void *_Nullable, curl_off_t, curl_off_t, curl_off_t, curl_off_t)) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

/// Reads a `long` info (CURLINFO_RESPONSE_CODE, ...).
static inline CURLcode ccurl_easy_getinfo_long(CURL *_Nonnull handle, CURLINFO info,
                                               long *_Nonnull out) {
    return curl_easy_getinfo(handle, info, out);
}

/// Reads a `double` info (CURLINFO_TOTAL_TIME, ...).
static inline CURLcode ccurl_easy_getinfo_double(CURL *_Nonnull handle, CURLINFO info,
                                                 double *_Nonnull out) {
    return curl_easy_getinfo(handle, info, out);
}

/// Reads a string info (CURLINFO_EFFECTIVE_URL, CURLINFO_CONTENT_TYPE, ...).
/// The returned string is owned by the handle: copy it, never free it.
static inline CURLcode ccurl_easy_getinfo_string(CURL *_Nonnull handle, CURLINFO info,
                                                 const char *_Nullable *_Nonnull out) {
    char *value = NULL;
    CURLcode code = curl_easy_getinfo(handle, info, &value);
    *out = value;
    return code;
}

#endif
