// Runs once per gr.HTML component; one delegated listener survives re-renders of the content.
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button || !element.contains(button)) return;
  event.preventDefault();
  trigger('feedback', { action: button.dataset.action, item_id: button.dataset.itemId });
});
