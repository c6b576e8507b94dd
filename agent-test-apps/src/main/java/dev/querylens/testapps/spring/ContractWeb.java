package dev.querylens.testapps.spring;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * What the request contract needs beyond the shop's controller: a filter that runs SQL before routing (so requests
 * no handler takes still have statements to count), and a plain servlet beside Spring MVC.
 */
@Configuration(proxyBeanMethods = false)
class ContractWeb {

    /** Header that makes {@link #auditFilter} run one statement before the request is routed. */
    static final String AUDIT_HEADER = "X-Audit";

    @Bean
    OncePerRequestFilter auditFilter(JdbcTemplate jdbc) {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (request.getHeader(AUDIT_HEADER) != null) {
                    jdbc.queryForObject("select count(*) from owner", Long.class);
                }
                chain.doFilter(request, response);
            }
        };
    }

    /** A plain servlet under /legacy/*: one statement, then 200, or 404 below /legacy/missing. */
    @Bean
    ServletRegistrationBean<HttpServlet> legacyServlet(JdbcTemplate jdbc) {
        return new ServletRegistrationBean<>(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
                long owners = jdbc.queryForObject("select count(*) from owner", Long.class);
                String info = req.getPathInfo();
                if (info != null && info.startsWith("/missing")) {
                    res.sendError(404);
                    return;
                }
                res.setContentType("text/plain");
                res.getWriter().print("owners=" + owners);
            }
        }, "/legacy/*");
    }
}
