/**
 * The face of gateway specifications for the rest of the product (the client's gateway commands, the
 * emulator, the service's own index): what a gateway spec says and how to change its weights without
 * touching anything else in the file. The checks, hover and completion are reached through
 * `SpcsLanguageService`, never directly.
 *
 * For "Shift Traffic…": `readGatewaySpec(parseSpecDocument(doc))` gives the targets with their weights;
 * `shiftWeight` moves weight between two targets one step at a time (clamped to 0-100, total kept);
 * `weightEdits` writes the new weights into the text; `rebalanceWeights` brings any weights to 100.
 */

export {
  endpointLists,
  formatEndpointReference,
  parseEndpointReference,
  readGatewaySpec,
  rebalanceWeights,
  referenceKey,
  shiftWeight,
  weightEdits,
  type EndpointReference,
  type GatewayEndpoint,
  type GatewayEndpointRole,
  type GatewaySpecModel,
  type GatewayType,
} from './gatewaySpec';
export { defaultMaxGatewayEndpoints, validateGatewaySpec } from './gatewayChecks';
export { endpointUsage } from './gatewayAccount';
