package dev.reelroute.security;

import jakarta.servlet.http.HttpServletRequest;

/** The decoded, normalized path the servlet container maps; never the raw URI, so "/%61pi/" can't dodge a filter. */
final class RequestPaths {
    private RequestPaths() {}

    /** True for a path under {@code prefix} (which ends with a slash). */
    static boolean isUnder(HttpServletRequest request, String prefix) {
        return of(request).startsWith(prefix);
    }

    static String of(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? servletPath : servletPath + pathInfo;
    }
}
