package dev.reelroute.api.contract;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * The Rest DSL, bound from the contracts: each operation of each document becomes one verb that goes to
 * {@code direct:<operationId>}, where its implementation route starts (routes/rest-*.camel.yaml); Camel inlines that
 * route into the verb (the Rest DSL's inlineRoutes), so the route keeps its id and starts at {@code rest:}. Consumes and produces come from the operation's request and 2xx answer media types,
 * path, query and header parameters from its parameters (query defaults are set as headers, as the Rest DSL does).
 * An operation several documents list (the status read, the account, the health check) is bound once and must have
 * the same operation id in each.
 *
 * <p>Not Camel's contract-first {@code rest: openApi:} (camel-rest-openapi): on platform-http it registers one
 * catch-all prefix consumer per document, ahead of Spring MVC, so it would take the event streams (Spring MVC
 * controllers under /api) and answer unknown paths itself instead of with the surfaces' error bodies; and two
 * documents sharing {@code /api} would need two consumers on one prefix.
 */
@Component
public class ContractRests extends RouteBuilder {
    private final ApiContracts contracts;

    public ContractRests(ApiContracts contracts) {
        this.contracts = contracts;
    }

    @Override
    public void configure() {
        Map<String, String> bound = new HashMap<>();
        contracts.all().values().forEach(contract -> contract.openApi().getPaths().forEach((path, item) ->
                item.readOperationsMap().forEach((method, operation) -> {
                    if (servedElsewhere(operation)) {
                        return;
                    }
                    String previous = bound.putIfAbsent(method + " " + path, operation.getOperationId());
                    if (previous == null) {
                        bind(method, path, operation);
                    } else if (!previous.equals(operation.getOperationId())) {
                        throw new IllegalStateException(contract.surface() + ": " + method + " " + path + " is "
                                + operation.getOperationId() + " here and " + previous + " in another document");
                    }
                })));
    }

    private static boolean servedElsewhere(Operation operation) {
        return operation.getExtensions() != null && operation.getExtensions().containsKey(ApiContracts.SERVED_BY);
    }

    private void bind(PathItem.HttpMethod method, String path, Operation operation) {
        RestDefinition rest = rest().verb(method.name().toLowerCase(Locale.ROOT), path)
                .description(operation.getSummary());
        if (operation.getRequestBody() != null) {
            rest.consumes(mediaTypes(operation.getRequestBody().getContent()));
        }
        String produces = operation.getResponses().entrySet().stream()
                .filter(answer -> answer.getKey().startsWith("2"))
                .map(answer -> mediaTypes(answer.getValue().getContent()))
                .filter(types -> !types.isEmpty())
                .distinct()
                .collect(Collectors.joining(","));
        if (!produces.isEmpty()) {
            rest.produces(produces);
        }
        if (operation.getParameters() != null) {
            operation.getParameters().forEach(parameter -> param(rest, parameter));
        }
        rest.to("direct:" + operation.getOperationId());
    }

    private static void param(RestDefinition rest, Parameter parameter) {
        Schema<?> schema = parameter.getSchema();
        var param = rest.param().name(parameter.getName()).type(RestParamType.valueOf(parameter.getIn()))
                .required(Boolean.TRUE.equals(parameter.getRequired())).description(parameter.getDescription());
        if (schema != null && schema.getType() != null) {
            param.dataType(schema.getType());
        }
        if (schema != null && schema.getDefault() != null) {
            param.defaultValue(String.valueOf(schema.getDefault()));
        }
        param.endParam();
    }

    private static String mediaTypes(Content content) {
        return content == null ? "" : String.join(",", content.keySet());
    }
}
