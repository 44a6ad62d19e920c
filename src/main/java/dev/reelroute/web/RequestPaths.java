package dev.reelroute.web;

import jakarta.servlet.http.HttpServletRequest;

/** The decoded, normalized path the servlet container maps; never the raw URI, so "/%61pi/" can't dodge a filter. */
public final class RequestPaths {
    private RequestPaths() {}

    /** True for a path under {@code prefix} (which ends with a slash). */
    public static boolean isUnder(HttpServletRequest request, String prefix) {
        return of(request).startsWith(prefix);
    }

    /** True for the resource {@code base} itself (with or without a trailing slash) and everything below it. */
    public static boolean isWithin(HttpServletRequest request, String base) {
        return isWithin(of(request), base);
    }

    public static boolean isWithin(String path, String base) {
        return path.equals(base) || path.startsWith(base + "/");
    }

    /** True for exactly {@code resource}, allowing one trailing slash. */
    public static boolean isAt(HttpServletRequest request, String resource) {
        String path = of(request);
        return path.equals(resource) || path.equals(resource + "/");
    }

    public static String of(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? servletPath : servletPath + pathInfo;
    }
}
