/**
 * A route's fallback order, reorderable by drag and by keyboard (focus a handle, Space to lift,
 * arrow keys to move, Space to drop), with @dnd-kit's accessible sensors and announcements.
 */
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { ReactNode } from 'react';

export function RouteOrder({ items, onChange, describe, state }: { items: string[]; onChange: (next: string[]) => void; describe: (name: string) => string; state?: (name: string) => ReactNode }) {
  const sensors = useSensors(useSensor(PointerSensor), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const onDragEnd = (event: DragEndEvent) => {
    const { active, over } = event;
    if (!over || active.id === over.id) return;
    onChange(arrayMove(items, items.indexOf(String(active.id)), items.indexOf(String(over.id))));
  };
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
      <SortableContext items={items} strategy={verticalListSortingStrategy}>
        <ol className="order-list">
          {items.map((name, index) => (
            <Item key={name} name={name} position={index + 1} detail={describe(name)} state={state?.(name)} />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

function Item({ name, position, detail, state }: { name: string; position: number; detail: string; state?: ReactNode }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: name });
  return (
    <li ref={setNodeRef} className="order-item" style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1 }} data-testid={`order-${name}`}>
      <button className="handle" aria-label={`Move ${name} (position ${position})`} {...attributes} {...listeners}>
        ⋮⋮
      </button>
      <span className="pos">{position}</span>
      <strong>{name}</strong>
      <span className="muted">{detail}</span>
      {state}
    </li>
  );
}
