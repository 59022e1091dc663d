// ESLint rule `abri/no-swallowed-catch`: a catch must use the error it caught. `catch {}`,
// `catch (e) { return null }` and `.catch(() => undefined)` hide every failure, not only the one
// that was expected; the house rule is that only "file absent" (ENOENT) is a normal case, checked
// on the error (`if (e.code !== 'ENOENT') throw e`), and everything else is logged or raised.
// Passing a named handler (`.catch(ifAbsent(null))`) is fine: that handler is linted where it is written.

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'a caught error must be looked at (rethrown, logged, or checked for ENOENT), never ignored' },
    schema: [],
    messages: {
      unbound: 'this catch ignores the error: check it (only ENOENT may be ignored), log it or rethrow it',
      unused: "the caught error '{{name}}' is never used: check it (only ENOENT may be ignored), log it or rethrow it",
      handler: 'this .{{method}}() handler ignores the error: check it (only ENOENT may be ignored), log it or rethrow it',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    /** true when one of the variables the node declares is read somewhere */
    const used = (node) => sourceCode.getDeclaredVariables(node).some((v) => v.references.some((r) => r.isRead()));

    function checkHandler(fn, method) {
      if (!fn || (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression')) return;
      if (fn.params.length === 0 || !used(fn)) context.report({ node: fn, messageId: 'handler', data: { method } });
    }

    return {
      CatchClause(node) {
        if (!node.param) context.report({ node, messageId: 'unbound' });
        else if (!used(node)) context.report({ node: node.param, messageId: 'unused', data: { name: sourceCode.getText(node.param) } });
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return;
        if (callee.property.name === 'catch' && node.arguments.length === 1) checkHandler(node.arguments[0], 'catch');
        if (callee.property.name === 'then' && node.arguments.length === 2) checkHandler(node.arguments[1], 'then');
      },
    };
  },
};
