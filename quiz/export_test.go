package quiz

// IndentBreak exposes indentBreak to the external tests.
var IndentBreak = indentBreak
