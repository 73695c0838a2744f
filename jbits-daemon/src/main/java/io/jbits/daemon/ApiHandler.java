package io.jbits.daemon;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.TransferManager;
import io.jbits.rest.Route;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The REST API's front: refuses callers of another user, finds each request's endpoint in the shared {@link Route}
 * table ({@link ApiRoutes}), and turns what the endpoint throws into an error answer.
 *
 * <p>Refusals become error bodies {@code {code, symbol, message}}: 404 for an unknown job or route, 409 for a state
 * that does not allow the call, 400 for other refusals and bad JSON, 413 for bodies over 1 MiB, 403 for callers of
 * another user, 500 for anything unexpected (logged). An administrator (uid 0) gets the routes {@link AdminAccess}
 * allows, each call logged.
 */
final class ApiHandler extends Handler.Abstract {
    /** The largest request body: see {@link JsonBody}. */
    static final int MAX_BODY_BYTES = JsonBody.MAX_BYTES;
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());

    private final ApiConfig config;
    private final EventJournal journal;
    private final ApiRoutes routes;
    private final DashboardServer dashboard;

    ApiHandler(ApiConfig config) {
        this.config = config;
        TransferManager jobs = config.manager();
        this.journal = new EventJournal(jobs);
        // The dashboard's pages call the same routes, through serve(): its token stands in for the peer check.
        this.dashboard = new DashboardServer(config.home(), new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return serve(request, response, callback);
            }
        });
        this.routes = new ApiRoutes(endpoints(config, new EventStreamer(journal, jobs), dashboard));
    }

    /** Every route's endpoint; the policy's only when the API serves one. */
    private static Map<Route, Endpoint> endpoints(ApiConfig config, EventStreamer streamer,
                                                  DashboardServer dashboard) {
        Map<Route, Endpoint> e = new EnumMap<>(Route.class);
        e.putAll(new ServiceEndpoints(config).endpoints());
        e.putAll(new DashboardEndpoints(dashboard).endpoints());
        if (config.policies() != null) {
            e.putAll(new PolicyEndpoints(config.policies()).endpoints());
        }
        e.put(Route.EVENTS, x -> {
            streamer.stream(x.request(), x.response(), x.callback());
            return Answer.STREAMED;
        });
        e.putAll(new JobEndpoints(config.manager()).endpoints());
        e.putAll(new FileEndpoints(config.manager()).endpoints());
        e.putAll(new JobSettingsEndpoints(config.manager()).endpoints());
        return e;
    }

    /** The routes this handler serves. */
    ApiRoutes routes() {
        return routes;
    }

    /** Ends the event streams, stops journaling events and stops the dashboard. */
    void close() {
        journal.close();
        dashboard.close();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String peer;
        try {
            peer = PeerCheck.peerUser(request);
        } catch (Exception e) {
            LOG.log(Level.ERROR, request.getMethod() + " " + Request.getPathInContext(request) + " failed", e);
            AnswerWriter.write(response, Answer.error(500, BitsCodes.E_FAIL, e.getMessage() == null ? e.toString()
                    : e.getMessage()), callback);
            return true;
        }
        if (!PeerCheck.allows(peer, config.owner()) && config.administrators() && AdminAccess.isAdministrator(peer)) {
            Answer refused = AdminAccess.check(routes, request.getMethod(), Request.getPathInContext(request), peer,
                    config.owner());
            if (refused == null) {
                return serve(request, response, callback);
            }
            AnswerWriter.write(response, refused, callback);
            return true;
        }
        if (!PeerCheck.allows(peer, config.owner())) {
            LOG.log(Level.WARNING, "refused {0} {1} from user {2}", request.getMethod(),
                    Request.getPathInContext(request), peer);
            AnswerWriter.write(response, Answer.error(403, BitsCodes.E_ACCESSDENIED, "user '" + peer
                    + "' may not use the jbits service of '" + config.owner() + "'"), callback);
            return true;
        }
        return serve(request, response, callback);
    }

    /** Answers a request of the owner, whose identity has been checked already (peer or dashboard token). */
    private boolean serve(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        Answer answer;
        boolean stopAfter = false;
        try {
            ApiRoutes.Match match = routes.match(method, path);
            Exchange exchange = new Exchange(request, response, callback, match.params());
            boolean filesLeftOut = exchange.filesLeftOut(); // read before the endpoint acts: a bad query acts on nothing
            answer = match.endpoint().answer(exchange);
            if (answer == Answer.STREAMED) {
                return true;
            }
            if (filesLeftOut) {
                answer = answer.withoutFiles();
            }
            stopAfter = match.route() == Route.SERVICE_STOP && answer.status() == 200;
        } catch (JbitsException e) {
            answer = Answer.error(statusFor(e.code()), e.code(), e.getMessage());
        } catch (Refusal e) {
            answer = Answer.error(e.status(), e.code(), e.getMessage());
        } catch (IllegalArgumentException e) {
            answer = Answer.error(400, BitsCodes.E_INVALIDARG, e.getMessage());
        } catch (Exception e) {
            if (e instanceof HttpException bad && bad.getCode() >= 400 && bad.getCode() < 500) {
                // Jetty's refusal of what it parses only when asked: a query string that is no valid UTF-8 or
                // percent-encoding ("400: Bad query"), read by an endpoint's first look at its parameters
                answer = Answer.error(bad.getCode(), BitsCodes.E_INVALIDARG, "bad request: "
                        + (bad.getReason() == null ? e.getMessage() : bad.getReason()));
            } else {
                LOG.log(Level.ERROR, method + " " + path + " failed", e);
                answer = Answer.error(500, BitsCodes.E_FAIL, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        AnswerWriter.write(response, answer, stopAfter ? afterwards(callback, config.stopRequested()) : callback);
        return true;
    }

    /** The HTTP status of a refusal with a BITS code. */
    static int statusFor(int code) {
        return switch (code) {
            case BitsCodes.BG_E_NOT_FOUND -> 404;
            case BitsCodes.BG_E_INVALID_STATE -> 409;
            default -> 400;
        };
    }

    /** The callback, then an action once the answer has gone out (or failed to). */
    private static Callback afterwards(Callback callback, Runnable action) {
        return Callback.from(() -> {
            callback.succeeded();
            action.run();
        }, failure -> {
            callback.failed(failure);
            action.run();
        });
    }
}
