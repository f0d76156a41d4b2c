import type { TraceNode } from '../../src/protocol/nostrProtocol';
import type { GroupStyle } from '../common/graphTypes';
import type { ThemeColors } from '../common/themeColors';

/**
 * How each node of a trace is drawn: one group per role and status, coloured from VS Code's chart palette (so every
 * theme, high contrast included, has its own colours) and told apart by shape too, for readers who do not see the
 * colours. The legend (and its swatches, classes in media/trace.css) lists the same groups.
 */
export type TraceGroup =
  | 'customer' | 'request' | 'request-missing' | 'request-cancelled' | 'dvm' | 'dvm-error'
  | 'feedback-payment' | 'feedback-processing' | 'feedback-success' | 'feedback-error' | 'feedback'
  | 'invoice' | 'invoice-mismatch' | 'zap' | 'result' | 'cancellation';

interface GroupInfo extends GroupStyle {
  readonly legend: string;
}

const muted = (colors: ThemeColors) => colors.muted;

export const TRACE_GROUPS: Readonly<Record<TraceGroup, GroupInfo>> = {
  customer: { legend: 'customer', shape: 'triangle', colour: (colors) => colors.charts.foreground },
  request: { legend: 'job request', shape: 'square', colour: (colors) => colors.charts.blue },
  'request-missing': { legend: 'request not seen', shape: 'square', colour: muted },
  'request-cancelled': { legend: 'cancelled request', shape: 'square', colour: (colors) => colors.charts.red },
  dvm: { legend: 'DVM', shape: 'hexagon', colour: (colors) => colors.charts.purple },
  'dvm-error': { legend: 'DVM that failed', shape: 'hexagon', colour: (colors) => colors.charts.red },
  'feedback-payment': { legend: 'payment required', shape: 'dot', colour: (colors) => colors.charts.yellow },
  'feedback-processing': { legend: 'processing / partial', shape: 'dot', colour: (colors) => colors.charts.blue },
  'feedback-success': { legend: 'success', shape: 'dot', colour: (colors) => colors.charts.green },
  'feedback-error': { legend: 'error', shape: 'dot', colour: (colors) => colors.charts.red },
  feedback: { legend: 'other feedback', shape: 'dot', colour: muted },
  invoice: { legend: 'invoice', shape: 'diamond', colour: (colors) => colors.charts.orange },
  'invoice-mismatch': { legend: 'invoice, amount ≠ bolt11', shape: 'diamond', colour: (colors) => colors.charts.red },
  zap: { legend: 'zap (proven payment)', shape: 'star', colour: (colors) => colors.charts.yellow },
  result: { legend: 'result', shape: 'square', colour: (colors) => colors.charts.green },
  cancellation: { legend: 'cancellation', shape: 'triangleDown', colour: (colors) => colors.charts.red },
};

export function groupOf(node: Pick<TraceNode, 'type' | 'status' | 'missing' | 'amountMismatch'>): TraceGroup {
  switch (node.type) {
    case 'customer':
    case 'zap':
    case 'result':
    case 'cancellation':
      return node.type;
    case 'request':
      return node.missing ? 'request-missing' : node.status === 'cancelled' ? 'request-cancelled' : 'request';
    case 'dvm':
      return node.status === 'error' ? 'dvm-error' : 'dvm';
    case 'invoice':
      return node.amountMismatch ? 'invoice-mismatch' : 'invoice';
    case 'feedback':
      switch (node.status) {
        case 'payment-required': return 'feedback-payment';
        case 'processing':
        case 'partial': return 'feedback-processing';
        case 'success': return 'feedback-success';
        case 'error': return 'feedback-error';
        default: return 'feedback';
      }
  }
}
